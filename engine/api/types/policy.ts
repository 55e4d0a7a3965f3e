// policy/v1 PodDisruptionBudget, and the Eviction body of pods/eviction with the DeleteOptions it carries.
import { labelSelectorErrors } from '../checks.js';
import { invalidValue, notSupported, type FieldError } from '../field-error.js';
import { ageColumn, column, nameColumn, type TypeGroup } from '../resource-type.js';
import { def, f, LABEL_SELECTOR, metadataField, TIME, CONDITION } from '../schema.js';
import { intOrPercentAtMost100, objectAt, statusZeros } from './apps-common.js';

const POL = 'io.k8s.api.policy.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** An int-or-percent printed as IntOrString.String() does, N/A when unset. */
const intOrPercentCell = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

/** PodDisruptionBudget and the Eviction body. */
export const POLICY: TypeGroup = {
  resources: [
    {
      group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', singular: 'poddisruptionbudget', namespaced: true,
      shortNames: ['pdb'], categories: [], schemaName: `${POL}PodDisruptionBudget`, subresources: { status: true },
      description: 'Limits how many pods of a group voluntary disruptions (evictions, node drains) may take down at once.',
      columns: [
        nameColumn,
        column('Min Available', 'Pods that must stay available.', (o) => intOrPercentCell(objectAt(o.spec).minAvailable)),
        column('Max Unavailable', 'Pods that may be unavailable.', (o) => intOrPercentCell(objectAt(o.spec).maxUnavailable)),
        column('Allowed Disruptions', 'Pods that may be disrupted right now.', (o) => Number(objectAt(o.status).disruptionsAllowed ?? 0), { type: 'integer' }),
        ageColumn,
      ],
      defaults(obj) {
        statusZeros(obj, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
      },
      validate(obj) {
        const spec = objectAt(obj.spec) as { minAvailable?: unknown; maxUnavailable?: unknown; selector?: unknown; unhealthyPodEvictionPolicy?: string };
        const errs: FieldError[] = [];
        if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) errs.push(invalidValue('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
        errs.push(...intOrPercentAtMost100('spec.minAvailable', spec.minAvailable), ...intOrPercentAtMost100('spec.maxUnavailable', spec.maxUnavailable));
        errs.push(...labelSelectorErrors('spec.selector', spec.selector));
        const policy = spec.unhealthyPodEvictionPolicy;
        if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
        return errs;
      },
    },
  ],
  definitions: {
    [`${POL}PodDisruptionBudget`]: def('Limits how many pods of a group voluntary disruptions (evictions, node drains) may take down at once.', {
      metadata: metadataField(),
      spec: f.ref(2, `${POL}PodDisruptionBudgetSpec`, 'Which pods are covered and how many must stay up.'),
      status: f.ref(3, `${POL}PodDisruptionBudgetStatus`, 'What the disruption controller last counted.'),
    }),
    [`${POL}PodDisruptionBudgetSpec`]: def('Which pods a budget covers and how many must stay up; set minAvailable or maxUnavailable, not both.', {
      minAvailable: f.intOrString(1, 'Pods (a number or a percentage) that must stay available after an eviction.', { keepZero: true }),
      selector: f.ref(2, LABEL_SELECTOR, 'Which pods the budget covers; an empty selector covers every pod in the namespace.', { patchStrategy: 'replace' }),
      maxUnavailable: f.intOrString(3, 'Pods (a number or a percentage) that may be unavailable after an eviction.', { keepZero: true }),
      unhealthyPodEvictionPolicy: f.str(4, 'When pods that are running but not ready may be evicted: IfHealthyBudget (the default) only while the budget is met, AlwaysAllow always.', {
        enum: EVICTION_POLICIES,
      }),
    }),
    [`${POL}PodDisruptionBudgetStatus`]: def('What the disruption controller last counted for a budget.', {
      observedGeneration: f.int64(1, 'The metadata.generation this status describes.'),
      disruptedPods: f.map(2, 'Pods being evicted that the controller has not seen go yet, with when the eviction was accepted.', TIME),
      disruptionsAllowed: f.int32(3, 'Pods that may be disrupted right now.', { keepZero: true }),
      currentHealthy: f.int32(4, 'Covered pods that are healthy.', { keepZero: true }),
      desiredHealthy: f.int32(5, 'Healthy pods the budget requires.', { keepZero: true }),
      expectedPods: f.int32(6, 'Pods the budget covers in total.', { keepZero: true }),
      conditions: f.list(7, 'Observations such as DisruptionAllowed.', CONDITION, { mergeKey: 'type' }),
    }),
    [`${POL}Eviction`]: def('A request to evict a pod, honouring its disruption budgets; posted to pods/<name>/eviction.', {
      metadata: metadataField(),
      deleteOptions: f.ref(2, `${META}DeleteOptions`, 'How the pod is deleted.'),
    }),
    [`${META}DeleteOptions`]: def('How an object is deleted.', {
      apiVersion: f.str(0, 'API version of this object, e.g. v1.'),
      kind: f.str(0, 'Kind of this object: DeleteOptions.'),
      gracePeriodSeconds: f.int64(1, 'Seconds the object gets to shut down; 0 deletes at once; the kind\'s default when unset.', { keepZero: true }),
      preconditions: f.ref(2, `${META}Preconditions`, 'Conditions the object must meet to be deleted.'),
      orphanDependents: f.bool(3, 'Deprecated: use propagationPolicy. Whether dependents are left behind.', { keepZero: true }),
      propagationPolicy: f.str(4, 'What happens to dependents: Foreground, Background or Orphan.'),
      dryRun: f.list(5, 'When set to All, nothing is deleted; the answer shows what would happen.', 'string', { listType: 'atomic' }),
      ignoreStoreReadErrorWithClusterBreakingPotential: f.bool(6, 'Deletes an object that cannot be read from storage (corrupt). Dangerous.', { keepZero: true }),
    }),
    [`${META}Preconditions`]: def('What an object must still be for an operation to go ahead.', {
      uid: f.str(1, 'The object\'s UID must be this.', { keepZero: true }),
      resourceVersion: f.str(2, 'The object\'s resourceVersion must be this.', { keepZero: true }),
    }),
  },
  // DeleteOptions travel in the group-version of the resource being deleted: any apiVersion.
  bodyKinds: [
    { apiVersion: 'policy/v1', kind: 'Eviction', schemaName: `${POL}Eviction` },
    { apiVersion: '*', kind: 'DeleteOptions', schemaName: `${META}DeleteOptions` },
  ],
};
