// `kubectl get jobs` columns: STATUS, COMPLETIONS, DURATION, AGE.
import type { Condition, KubeObject } from '../../api/types';
import { humanDuration } from '../../format/age';
import { ageColumn, col, nameColumn, type Column, type Tone } from '../../format/column';

/** A Job, as far as its columns read it. */
export interface Job extends KubeObject {
  spec?: { completions?: number; parallelism?: number; suspend?: boolean };
  status?: { succeeded?: number; failed?: number; active?: number; startTime?: string; completionTime?: string; conditions?: Condition[] };
}

const has = (j: Job, type: string) => (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** STATUS: the first of Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet, else Running. */
export function jobStatus(j: Job): string {
  if (has(j, 'Complete')) return 'Complete';
  if (has(j, 'Failed')) return 'Failed';
  if (j.metadata.deletionTimestamp) return 'Terminating';
  if (has(j, 'Suspended')) return 'Suspended';
  if (has(j, 'FailureTarget')) return 'FailureTarget';
  if (has(j, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** COMPLETIONS: succeeded/completions, or succeeded/1 (of parallelism) for work queues. */
export function jobCompletions(j: Job): string {
  const done = j.status?.succeeded ?? 0;
  if (j.spec?.completions !== undefined) return `${done}/${j.spec.completions}`;
  const parallelism = j.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${done}/1 of ${parallelism}` : `${done}/1`;
}

/** DURATION: start to completion, or start to now while running; empty before it starts. */
export function jobDuration(j: Job, now: number): string {
  const start = j.status?.startTime;
  if (!start) return '';
  const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
  return humanDuration((end - Date.parse(start)) / 1000);
}

const jobTone = (j: Job): Tone => {
  const s = jobStatus(j);
  return s === 'Complete' ? 'ok' : s === 'Failed' || s === 'FailureTarget' ? 'bad' : s === 'Suspended' ? 'muted' : 'progress';
};

/** Columns of the jobs table. */
export const JOB_COLUMNS: Column[] = [
  nameColumn,
  col<Job>({ header: 'Status', text: jobStatus, tone: jobTone }),
  col<Job>({ header: 'Completions', text: jobCompletions }),
  col<Job>({ header: 'Duration', live: true, text: jobDuration }),
  ageColumn,
];
