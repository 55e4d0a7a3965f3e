// `kubectl get statefulsets` columns: READY, AGE.
import type { Workload } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';
import { readyOfDesired, replicasTone } from '../deployments/columns';

/** Columns of the statefulsets table. */
export const STATEFULSET_COLUMNS: Column[] = [nameColumn, col<Workload>({ header: 'Ready', text: readyOfDesired, tone: replicasTone }), ageColumn];
