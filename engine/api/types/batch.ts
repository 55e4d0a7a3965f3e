// batch/v1 Job and CronJob.
import { age, ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { num, objectAt, selectorColumn, templateColumns } from './apps-common.js';
import { BATCH_DEFINITIONS } from './batch-defs.js';
import { cronJobErrors, defaultCronJob, defaultJob, jobErrors } from './batch-rules.js';

const NAME = 'io.k8s.api.batch.v1.';
const base = { group: 'batch', version: 'v1', namespaced: true } as const;

/** True when the job has condition `type` with status True. */
const hasCondition = (o: ApiObject, type: string) => ((objectAt(o.status).conditions as { type?: string; status?: string }[] | undefined) ?? []).some((c) => c.type === type && c.status === 'True');

/** The Status column of `kubectl get jobs`, with kubectl's precedence. */
export function jobStatus(o: ApiObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** "succeeded/completions", or "n/1 of parallelism" for work-queue jobs. */
export function jobCompletions(o: ApiObject): string {
  const spec = objectAt(o.spec) as { completions?: number; parallelism?: number };
  const done = num(o, 'status.succeeded');
  if (spec.completions !== undefined) return `${done}/${spec.completions}`;
  return (spec.parallelism ?? 0) > 1 ? `${done}/1 of ${spec.parallelism}` : `${done}/1`;
}

/** How long the job ran (until now while running); empty before it starts. */
export function jobDuration(o: ApiObject, now = Date.now()): string {
  const status = objectAt(o.status) as { startTime?: string; completionTime?: string };
  if (!status.startTime) return '';
  return age(status.startTime, status.completionTime ? Date.parse(status.completionTime) : now);
}

/** Job and CronJob. */
export const BATCH: TypeGroup = {
  resources: [
    {
      ...base, kind: 'Job', resource: 'jobs', singular: 'job', shortNames: [], categories: ['all'],
      schemaName: `${NAME}Job`, subresources: { status: true },
      description: 'Runs pods until a number of them finish successfully.',
      columns: [
        nameColumn,
        column('Status', 'Where the job stands: Running, Complete, Failed, Suspended, Terminating…', jobStatus),
        column('Completions', 'Successful pods out of the number needed.', jobCompletions),
        column('Duration', 'How long the job ran.', (o) => jobDuration(o)),
        ageColumn,
        ...templateColumns(),
        selectorColumn('spec.selector', 'Label query over the pods of the job.'),
      ],
      defaults: defaultJob,
      validate: jobErrors,
    },
    {
      ...base, kind: 'CronJob', resource: 'cronjobs', singular: 'cronjob', shortNames: ['cj'], categories: ['all'],
      schemaName: `${NAME}CronJob`, subresources: { status: true },
      description: 'Creates a Job on a repeating schedule.',
      columns: [
        nameColumn,
        column('Schedule', 'When jobs are started, in cron format.', (o) => String(objectAt(o.spec).schedule ?? '')),
        column('Timezone', 'Time zone of the schedule.', (o) => String(objectAt(o.spec).timeZone ?? '<none>')),
        column('Suspend', 'Whether new runs are held back.', (o) => {
          const s = objectAt(o.spec).suspend;
          return s === undefined ? '<unset>' : s ? 'True' : 'False';
        }),
        column('Active', 'Jobs running now.', (o) => ((objectAt(o.status).active as unknown[] | undefined) ?? []).length, { type: 'integer' }),
        column('Last Schedule', 'Time since a job was last started.', (o) => {
          const t = objectAt(o.status).lastScheduleTime as string | undefined;
          return t ? age(t) : '<none>';
        }),
        ageColumn,
        ...templateColumns('spec.jobTemplate.spec.template'),
        selectorColumn('spec.jobTemplate.spec.selector', 'Label query over the pods of the jobs.'),
      ],
      defaults: defaultCronJob,
      validate: cronJobErrors,
    },
  ],
  definitions: BATCH_DEFINITIONS,
};
