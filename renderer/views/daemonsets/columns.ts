// `kubectl get daemonsets` columns: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, NODE SELECTOR, AGE.
import type { Workload } from '../../api/types';
import { ageColumn, col, nameColumn, type Column, type Tone } from '../../format/column';

/** Labels as sorted key=value pairs joined by commas, or <none>. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

const dsTone = (d: Workload): Tone => ((d.status?.numberReady ?? 0) >= (d.status?.desiredNumberScheduled ?? 0) ? 'ok' : 'progress');

/** Columns of the daemonsets table. */
export const DAEMONSET_COLUMNS: Column[] = [
  nameColumn,
  col<Workload>({ header: 'Desired', text: (d) => String(d.status?.desiredNumberScheduled ?? 0) }),
  col<Workload>({ header: 'Current', text: (d) => String(d.status?.currentNumberScheduled ?? 0) }),
  col<Workload>({ header: 'Ready', text: (d) => String(d.status?.numberReady ?? 0), tone: dsTone }),
  col<Workload>({ header: 'Up-to-date', text: (d) => String(d.status?.updatedNumberScheduled ?? 0) }),
  col<Workload>({ header: 'Available', text: (d) => String(d.status?.numberAvailable ?? 0) }),
  col<Workload>({ header: 'Node selector', text: (d) => formatLabels(d.spec?.template?.spec?.nodeSelector) }),
  ageColumn,
];
