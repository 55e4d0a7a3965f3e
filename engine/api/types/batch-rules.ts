// Defaulting and validation of batch/v1 Jobs and CronJobs, as Kubernetes' batch defaults,
// Job strategy and validation do them.
import { labelSelectorErrors, nonNegative } from '../checks.js';
import { invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import { child, immutableField, objectAt, sameValue, selectorMatchErrors, statusZeros, templateErrors, type Selector, type Template } from './apps-common.js';
import { cronError, timeZoneError } from './batch-cron.js';
import { defaultPodTemplate } from './pod-rules.js';

/** The scalar fields of a batch/v1 JobSpec, as the rules and the Job controllers read them. */
export interface JobSpecScalars {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: string;
  suspend?: boolean;
  podReplacementPolicy?: string;
  managedBy?: string;
}

/** The fields of a JobSpec the rules read. */
interface JobSpec extends JobSpecScalars {
  selector?: Selector;
  manualSelector?: boolean;
  template?: Template;
  podFailurePolicy?: { rules?: { action?: string; onPodConditions?: { type?: string; status?: string }[] }[] };
  successPolicy?: { rules?: { succeededIndexes?: string; succeededCount?: number }[] };
}

/** Labels the Job strategy puts on generated pod templates (legacy and prefixed). */
export const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
export const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_INT32 = 2_147_483_647;

const isEmpty = (m: object | undefined) => !m || Object.keys(m).length === 0;

/** Unique pod labels and a selector on them, as the Job strategy generates them on create. */
function generateSelector(obj: ApiObject, spec: JobSpec): void {
  const template = child(spec as Record<string, unknown>, 'template') as Template;
  const meta = child(template, 'metadata') as NonNullable<Template['metadata']>;
  const l = (meta.labels ??= {});
  for (const k of JOB_NAME_LABELS) l[k] ??= obj.metadata.name;
  for (const k of CONTROLLER_UID_LABELS) l[k] ??= obj.metadata.uid ?? '';
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels['batch.kubernetes.io/controller-uid'] ??= obj.metadata.uid ?? '';
}

/** The job defaults on a JobSpec itself (as CronJob templates do not get them, they stay separate). */
function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
}

/**
 * Job defaults; on create (no `old`) without manualSelector, the controller-uid and job-name
 * labels and the selector are generated from metadata.uid and the name. A job without labels
 * takes its template's (as Kubernetes does, including the generated ones on read-back).
 */
export function defaultJob(obj: ApiObject, old?: ApiObject): void {
  const spec = child(obj as Record<string, unknown>, 'spec') as JobSpec;
  defaultJobSpec(spec);
  const template = child(spec as Record<string, unknown>, 'template') as Template;
  const copyLabels = () => {
    if (isEmpty(obj.metadata.labels) && template.metadata?.labels && !isEmpty(template.metadata.labels)) obj.metadata.labels = { ...template.metadata.labels };
  };
  copyLabels();
  defaultPodTemplate(template);
  if (!old && spec.manualSelector !== true) generateSelector(obj, spec);
  copyLabels();
  statusZeros(obj, {});
}

/** CronJob defaults: Allow, not suspended, 3 successful and 1 failed job kept; the template gets pod defaults only. */
export function defaultCronJob(obj: ApiObject): void {
  const spec = child(obj as Record<string, unknown>, 'spec') as { concurrencyPolicy?: string; suspend?: boolean; successfulJobsHistoryLimit?: number; failedJobsHistoryLimit?: number };
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobSpec = child(child(spec, 'jobTemplate'), 'spec');
  defaultPodTemplate(child(jobSpec, 'template'));
  statusZeros(obj, {});
}

/** Rules every JobSpec follows, standalone or in a CronJob (`path` is where it sits). */
function jobSpecErrors(path: string, spec: JobSpec): FieldError[] {
  const errs = [
    ...nonNegative(`${path}.parallelism`, spec.parallelism),
    ...nonNegative(`${path}.completions`, spec.completions),
    ...nonNegative(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...nonNegative(`${path}.backoffLimit`, spec.backoffLimit),
    ...nonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
    ...nonNegative(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex),
    ...nonNegative(`${path}.maxFailedIndexes`, spec.maxFailedIndexes),
  ];
  const indexed = spec.completionMode === 'Indexed';
  if (indexed) {
    if (spec.completions === undefined) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    if ((spec.parallelism ?? 0) > MAX_INDEXED_PARALLELISM) errs.push(invalidValue(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`));
  } else {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(invalidValue(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(invalidValue(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
    if (spec.successPolicy) errs.push(invalidValue(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  for (const [i, rule] of (spec.successPolicy?.rules ?? []).entries()) {
    if (rule.succeededIndexes === undefined && rule.succeededCount === undefined) errs.push(required(`${path}.successPolicy.rules[${i}]`, 'at least one of succeededCount or succeededIndexes must be specified'));
    if (rule.succeededCount !== undefined && rule.succeededCount > (spec.completions ?? 0)) {
      errs.push(invalidValue(`${path}.successPolicy.rules[${i}].succeededCount`, rule.succeededCount, `must be less than or equal to ${spec.completions ?? 0} (the number of specified completions)`));
    }
  }
  if (spec.podFailurePolicy && spec.podReplacementPolicy && spec.podReplacementPolicy !== 'Failed') {
    errs.push(notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
  }
  const tPath = `${path}.template`;
  errs.push(...templateErrors(tPath, spec.template));
  const rp = spec.template?.spec?.restartPolicy ?? '';
  if (rp === 'Always' || rp === '') errs.push(required(`${tPath}.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(notSupported(`${tPath}.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && rp !== 'Never') errs.push(invalidValue(`${tPath}.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** Generated labels and selector must carry the job's own uid and name. */
function generatedSelectorErrors(obj: ApiObject, spec: JobSpec): FieldError[] {
  if (spec.manualSelector === true) return [];
  const labels = spec.template?.metadata?.labels;
  if (!labels) return [];
  const errs: FieldError[] = [];
  const expect = (keys: string[], want: string) => {
    for (const k of keys) if (labels[k] !== undefined && labels[k] !== want) errs.push(invalidValue(`spec.template.metadata.labels[${k}]`, labels[k], `must be '${want}'`));
  };
  expect(CONTROLLER_UID_LABELS, obj.metadata.uid ?? '');
  expect(JOB_NAME_LABELS, obj.metadata.name);
  const uid = spec.selector?.matchLabels?.['batch.kubernetes.io/controller-uid'];
  if (uid !== undefined && uid !== obj.metadata.uid) errs.push(invalidValue('spec.selector.matchLabels[batch.kubernetes.io/controller-uid]', uid, `must be '${obj.metadata.uid ?? ''}'`));
  return errs;
}

/** The template as it may be compared on update: a suspended job that never started may change its scheduling directives. */
function comparableTemplate(template: Template | undefined, mutableFrom?: Template): unknown {
  const t = structuredClone(template ?? {}) as Template;
  if (!mutableFrom) return t;
  const spec = (t.spec ??= {});
  const from = mutableFrom.spec ?? {};
  for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) spec[k] = from[k];
  const affinity = objectAt(from.affinity);
  spec.affinity = { ...objectAt(spec.affinity), nodeAffinity: affinity.nodeAffinity };
  if (!from.affinity && isEmpty(Object.fromEntries(Object.entries(spec.affinity as object).filter(([, v]) => v !== undefined)))) spec.affinity = undefined;
  t.metadata = { ...t.metadata, labels: mutableFrom.metadata?.labels, annotations: mutableFrom.metadata?.annotations };
  return t;
}

/** Job rules; on updates the selector, template (mostly), completion mode, policies and managedBy cannot change. */
export function jobErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = objectAt(obj.spec) as JobSpec;
  const errs = [...generatedSelectorErrors(obj, spec)];
  if (!spec.selector) errs.push(required('spec.selector'));
  else errs.push(...labelSelectorErrors('spec.selector', spec.selector), ...selectorMatchErrors('spec.template', spec.selector, spec.template));
  errs.push(...jobSpecErrors('spec', spec));
  if (!old) return errs;
  const prev = objectAt(old.spec) as JobSpec;
  const elastic = spec.completionMode === 'Indexed' && spec.completions !== undefined;
  if (!elastic) errs.push(...immutableField('spec.completions', spec.completions, prev.completions));
  else if (spec.completions !== prev.completions && spec.completions !== spec.parallelism) {
    errs.push(invalidValue('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  }
  errs.push(...immutableField('spec.selector', spec.selector, prev.selector));
  const notStarted = prev.suspend === true && objectAt(old.status).startTime === undefined;
  if (!sameValue(comparableTemplate(spec.template, notStarted ? spec.template : undefined), comparableTemplate(prev.template, notStarted ? spec.template : undefined))) {
    errs.push(invalidValue('spec.template', spec.template ?? null, 'field is immutable'));
  }
  for (const k of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) errs.push(...immutableField(`spec.${k}`, spec[k], prev[k]));
  return errs;
}

/** CronJob rules: a name of at most 52 characters, a cron schedule, a known time zone, a valid job template. */
export function cronJobErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.metadata.name.length > 52) errs.push(invalidValue('metadata.name', obj.metadata.name, 'must be no more than 52 characters'));
  const spec = objectAt(obj.spec) as { schedule?: string; timeZone?: string; startingDeadlineSeconds?: number; concurrencyPolicy?: string; jobTemplate?: { spec?: JobSpec } } & Record<string, unknown>;
  const prev = old ? (objectAt(old.spec) as typeof spec) : undefined;
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else {
    const why = cronError(spec.schedule);
    if (why) errs.push(invalidValue('spec.schedule', spec.schedule, why));
    const allowTZ = prev?.schedule?.includes('TZ') ?? false;
    if (allowTZ && spec.schedule.includes('TZ') && spec.timeZone !== undefined) errs.push(invalidValue('spec.schedule', spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    if (!allowTZ && spec.schedule.includes('TZ')) errs.push(invalidValue('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  if (spec.timeZone !== undefined && (!prev || prev.timeZone !== spec.timeZone)) {
    const tz = spec.timeZone;
    const why = tz === '' ? 'unknown time zone' : tz.toLowerCase() === 'local' ? 'unknown time zone Local' : timeZoneError(tz);
    if (why) errs.push(invalidValue('spec.timeZone', tz, why));
  }
  if (!spec.concurrencyPolicy) errs.push(required('spec.concurrencyPolicy'));
  const jobSpec = objectAt(spec.jobTemplate?.spec) as JobSpec;
  errs.push(...jobSpecErrors('spec.jobTemplate.spec', jobSpec));
  if (jobSpec.selector) errs.push(invalidValue('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit), ...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  return errs;
}
