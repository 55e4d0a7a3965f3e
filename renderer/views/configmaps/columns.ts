// `kubectl get configmaps` columns: DATA, AGE.
import type { KubeObject } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';

/** A ConfigMap. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** DATA: number of keys in data and binaryData. */
export const dataCount = (c: ConfigMap): number => Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length;

/** Columns of the configmaps table. */
export const CONFIGMAP_COLUMNS: Column[] = [nameColumn, col<ConfigMap>({ header: 'Data', text: (c) => String(dataCount(c)) }), ageColumn];
