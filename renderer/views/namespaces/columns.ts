// `kubectl get namespaces` columns: STATUS, AGE.
import type { KubeObject } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';

/** A Namespace. */
export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

/** Columns of the namespaces table. */
export const NAMESPACE_COLUMNS: Column[] = [
  nameColumn,
  col<Namespace>({ header: 'Status', text: (n) => n.status?.phase ?? 'Active', tone: (n) => (n.status?.phase === 'Terminating' ? 'progress' : 'ok') }),
  ageColumn,
];
