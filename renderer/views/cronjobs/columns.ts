// `kubectl get cronjobs` columns: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, AGE.
import type { KubeObject } from '../../api/types';
import { age } from '../../format/age';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';

/** A CronJob, as far as its columns read it. */
export interface CronJob extends KubeObject {
  spec?: { schedule?: string; timeZone?: string; suspend?: boolean };
  status?: { active?: unknown[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

/** A bool pointer as kubectl prints it: True/False, <unset> when absent. */
export const boolText = (v: boolean | undefined): string => (v === undefined ? '<unset>' : v ? 'True' : 'False');

/** Columns of the cronjobs table. */
export const CRONJOB_COLUMNS: Column[] = [
  nameColumn,
  col<CronJob>({ header: 'Schedule', text: (c) => c.spec?.schedule ?? '' }),
  col<CronJob>({ header: 'Timezone', text: (c) => c.spec?.timeZone || '<none>' }),
  col<CronJob>({ header: 'Suspend', text: (c) => boolText(c.spec?.suspend), tone: (c) => (c.spec?.suspend ? 'muted' : undefined) }),
  col<CronJob>({ header: 'Active', text: (c) => String(c.status?.active?.length ?? 0) }),
  col<CronJob>({ header: 'Last schedule', live: true, text: (c, now) => (c.status?.lastScheduleTime ? age(c.status.lastScheduleTime, now) : '<none>') }),
  ageColumn,
];
