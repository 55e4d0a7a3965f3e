// `kubectl get replicasets` columns: DESIRED, CURRENT, READY, AGE.
import type { Workload } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';
import { replicasTone } from '../deployments/columns';

/** Columns of the replicasets table. */
export const REPLICASET_COLUMNS: Column[] = [
  nameColumn,
  col<Workload>({ header: 'Desired', text: (r) => String(r.spec?.replicas ?? 1) }),
  col<Workload>({ header: 'Current', text: (r) => String(r.status?.replicas ?? 0) }),
  col<Workload>({ header: 'Ready', text: (r) => String(r.status?.readyReplicas ?? 0), tone: replicasTone }),
  ageColumn,
];
