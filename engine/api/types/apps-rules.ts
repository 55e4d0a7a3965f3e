// Defaulting and validation of apps/v1 kinds, as Kubernetes' apps defaults and validation do them.
import { labelMapErrors, labelSelectorErrors, nameErrors, nonNegative, qualifiedNameErrors } from '../checks.js';
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import type { ApiObject } from '../resource-type.js';
import {
  child,
  immutableField,
  intOrPercentAtMost100,
  intOrPercentValue,
  objectAt,
  sameValue,
  selectorErrors,
  selectorMatchErrors,
  statusZeros,
  templateErrors,
  type Selector,
  type Template,
} from './apps-common.js';
import { defaultPodTemplate } from './pod-rules.js';

/** The fields of the apps/v1 specs the rules read. */
interface WorkloadSpec {
  replicas?: number;
  selector?: Selector;
  template?: Template;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: unknown; maxSurge?: unknown } };
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: unknown; maxSurge?: unknown; partition?: number } };
  podManagementPolicy?: string;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  ordinals?: { start?: number };
  serviceName?: string;
  volumeClaimTemplates?: Record<string, unknown>[];
}

/** The annotation through which apps/v1 carries a DaemonSet's template generation. */
export const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

const specOf = (obj: ApiObject) => child(obj as Record<string, unknown>, 'spec') as WorkloadSpec;
const specIn = (obj: ApiObject) => objectAt(obj.spec) as WorkloadSpec;

/** The spec's pod template, created empty when missing, with the pod defaults filled in. */
function defaultTemplate(spec: WorkloadSpec): void {
  const template = child(spec as Record<string, unknown>, 'template');
  defaultPodTemplate(template);
}

/** Deployment: 1 replica, a 25%/25% rolling update, 10 revisions kept, 600s progress deadline. */
export function defaultDeployment(obj: ApiObject): void {
  const spec = specOf(obj);
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec);
  statusZeros(obj, {});
}

/** ReplicaSet: 1 replica. */
export function defaultReplicaSet(obj: ApiObject): void {
  const spec = specOf(obj);
  spec.replicas ??= 1;
  defaultTemplate(spec);
  statusZeros(obj, { replicas: 0 });
}

/** StatefulSet: 1 replica, OrderedReady, RollingUpdate from partition 0, 10 revisions, claims retained. */
export function defaultStatefulSet(obj: ApiObject): void {
  const spec = specOf(obj);
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  for (const claim of spec.volumeClaimTemplates ?? []) {
    // Claim templates get the PersistentVolumeClaim defaults.
    const claimSpec = child(claim, 'spec');
    claimSpec.volumeMode ??= 'Filesystem';
    const claimStatus = child(claim, 'status');
    claimStatus.phase ??= 'Pending';
  }
  defaultTemplate(spec);
  statusZeros(obj, { replicas: 0, availableReplicas: 0 });
}

/**
 * DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions; the template
 * generation annotation starts at 1 and counts template changes.
 */
export function defaultDaemonSet(obj: ApiObject, old?: ApiObject): void {
  const spec = specOf(obj);
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec);
  const generationOf = (o: ApiObject | undefined) => Number.parseInt(o?.metadata.annotations?.[TEMPLATE_GENERATION] ?? '0', 10) || 0;
  let generation: number;
  if (!old) generation = Math.max(generationOf(obj), 1);
  else generation = generationOf(old) + (sameValue(spec.template, specIn(old).template) ? 0 : 1);
  obj.metadata.annotations = { ...obj.metadata.annotations, [TEMPLATE_GENERATION]: String(generation) };
  statusZeros(obj, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
}

/** ControllerRevision: revision is always printed. */
export function defaultControllerRevision(obj: ApiObject): void {
  obj.revision ??= 0;
}

/** Errors of the template of a replicated kind (Deployment, ReplicaSet): labels match, Always, no deadline. */
function replicatedTemplateErrors(spec: WorkloadSpec): FieldError[] {
  const errs = [...selectorMatchErrors('spec.template', spec.selector, spec.template), ...templateErrors('spec.template', spec.template, ['Always'])];
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) errs.push(forbiddenValue('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return errs;
}

/** Deployment rules; on updates the selector cannot change. */
export function deploymentErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specIn(obj);
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...selectorErrors('spec.selector', spec.selector, 'deployment'), ...replicatedTemplateErrors(spec)];
  const strategy = spec.strategy ?? {};
  if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
    errs.push(forbiddenValue('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    if (!ru) errs.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else {
      const p = 'spec.strategy.rollingUpdate';
      errs.push(...intOrPercentAtMost100(`${p}.maxUnavailable`, ru.maxUnavailable), ...intOrPercentAtMost100(`${p}.maxSurge`, ru.maxSurge, false));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) errs.push(invalidValue(`${p}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds), ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) errs.push(invalidValue('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  if (old) errs.push(...immutableField('spec.selector', spec.selector, specIn(old).selector));
  return errs;
}

/** ReplicaSet rules; on updates the selector cannot change. */
export function replicaSetErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specIn(obj);
  // Upstream's ReplicaSet check reuses the Deployment wording for an empty selector.
  const errs = [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...selectorErrors('spec.selector', spec.selector, 'deployment'),
    ...replicatedTemplateErrors(spec),
  ];
  if (old) errs.push(...immutableField('spec.selector', spec.selector, specIn(old).selector));
  return errs;
}

const RETENTION = ['Retain', 'Delete'];
/** The spec fields a StatefulSet update may change. */
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** StatefulSet rules; updates may change only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, the claim retention policy and minReadySeconds. */
export function statefulSetErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specIn(obj);
  const errs: FieldError[] = [];
  if (!old) errs.push(...nameErrors('metadata.name', obj.metadata.name, 'label'));
  if (!spec.podManagementPolicy) errs.push(required('spec.podManagementPolicy'));
  const strategy = spec.updateStrategy ?? {};
  if (!strategy.type) errs.push(required('spec.updateStrategy'));
  else if (strategy.type === 'OnDelete' && strategy.rollingUpdate) {
    errs.push(invalidValue('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) {
    const p = 'spec.updateStrategy.rollingUpdate';
    errs.push(...nonNegative(`${p}.partition`, strategy.rollingUpdate.partition));
    const mu = strategy.rollingUpdate.maxUnavailable;
    if (mu !== undefined) {
      errs.push(...intOrPercentAtMost100(`${p}.maxUnavailable`, mu));
      if (intOrPercentValue(mu) === 0) errs.push(invalidValue(`${p}.maxUnavailable`, mu, 'cannot be 0'));
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = retention?.[k];
    if (retention && !RETENTION.includes(v ?? '')) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v ?? '', RETENTION));
  }
  errs.push(...nonNegative('spec.replicas', spec.replicas), ...nonNegative('spec.ordinals.start', spec.ordinals?.start));
  errs.push(...selectorErrors('spec.selector', spec.selector, 'statefulset'), ...selectorMatchErrors('spec.template', spec.selector, spec.template));
  // Upstream checks only the template's labels and annotations here, not its pod spec: mounts of
  // claims from volumeClaimTemplates would not resolve against the template's own volumes.
  errs.push(...labelMapErrors('spec.template.labels', spec.template?.metadata?.labels));
  for (const key of Object.keys(spec.template?.metadata?.annotations ?? {})) errs.push(...qualifiedNameErrors('spec.template.annotations', key));
  const rp = spec.template?.spec?.restartPolicy ?? 'Always';
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (spec.template?.spec?.activeDeadlineSeconds !== undefined) errs.push(forbiddenValue('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds), ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  // Pods get the service name as their subdomain, so it must be a DNS label (checked since 1.33; kept as it was on updates).
  if (spec.serviceName && !old) errs.push(...nameErrors('spec.serviceName', spec.serviceName, 'label'));
  if (old) {
    const rest = (s: WorkloadSpec) => Object.fromEntries(Object.entries(s).filter(([k]) => !STS_MUTABLE.includes(k)));
    if (!sameValue(rest(spec), rest(specIn(old)))) {
      errs.push(
        forbiddenValue(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

/** DaemonSet rules; on updates the selector cannot change. */
export function daemonSetErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const spec = specIn(obj);
  const errs = [...labelSelectorErrors('spec.selector', spec.selector), ...selectorMatchErrors('spec.template', spec.selector, spec.template)];
  if (spec.selector && Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length === 0) {
    errs.push(invalidValue('spec.selector', spec.selector, 'empty selector is invalid for daemonset'));
  }
  errs.push(...templateErrors('spec.template', spec.template, ['Always']));
  const deadline = spec.template?.spec?.activeDeadlineSeconds;
  if (deadline !== undefined) errs.push(invalidValue('spec.template.spec.activeDeadlineSeconds', deadline, 'activeDeadlineSeconds must be nil for daemon set pods'));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds), ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  const strategy = spec.updateStrategy ?? {};
  if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    const p = 'spec.updateStrategy.rollingUpdate';
    if (!ru) errs.push(required(p));
    else {
      errs.push(...intOrPercentAtMost100(`${p}.maxUnavailable`, ru.maxUnavailable), ...intOrPercentAtMost100(`${p}.maxSurge`, ru.maxSurge));
      const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const surge = intOrPercentValue(ru.maxSurge) !== 0;
      if (unavailable && surge) errs.push(invalidValue(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      if (!unavailable && !surge) errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
    }
  }
  if (old) errs.push(...immutableField('spec.selector', spec.selector, specIn(old).selector));
  return errs;
}

/** ControllerRevision rules: data is required and never changes. */
export function controllerRevisionErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative('revision', obj.revision));
  if (old) errs.push(...immutableField('data', obj.data, old.data));
  return errs;
}
