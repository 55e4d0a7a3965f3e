// `kubectl get deployments` columns: READY, UP-TO-DATE, AVAILABLE, AGE.
import type { Workload } from '../../api/types';
import { ageColumn, col, nameColumn, type Column, type Tone } from '../../format/column';

/** READY of a Deployment or StatefulSet: ready replicas / desired replicas. */
export const readyOfDesired = (w: Workload): string => `${w.status?.readyReplicas ?? 0}/${w.spec?.replicas ?? 1}`;

/** Green when all desired replicas are ready, amber while some are not. */
export function replicasTone(w: Workload): Tone {
  const desired = w.spec?.replicas ?? 1;
  return (w.status?.readyReplicas ?? 0) >= desired ? 'ok' : 'progress';
}

/** Columns of the deployments table. */
export const DEPLOYMENT_COLUMNS: Column[] = [
  nameColumn,
  col<Workload>({ header: 'Ready', text: readyOfDesired, tone: replicasTone }),
  col<Workload>({ header: 'Up-to-date', text: (d) => String(d.status?.updatedReplicas ?? 0) }),
  col<Workload>({ header: 'Available', text: (d) => String(d.status?.availableReplicas ?? 0) }),
  ageColumn,
];
