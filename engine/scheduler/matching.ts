// Matching rules shared by filters and scores: node selector terms against a node, tolerations
// against taints, label selectors against pods.
import type { NodeSelectorTermJson, NodeRequirementJson } from '../api/types/pod-json.js';
import { selectorMatches } from '../api/checks.js';
import { labelsOf, list, nameOf, stringMap, taintsOf, type LabelSelector, type Node, type Pod, type Taint, type Toleration } from './types.js';

/** True when the labels satisfy the selector; an absent selector matches nothing, `{}` everything. */
export const selects = (selector: LabelSelector | undefined, labels: Record<string, string>): boolean =>
  selectorMatches(selector, labels);

const integer = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);

/** True when a value (undefined when the label is absent) satisfies one requirement. */
function requirementMatches(r: NodeRequirementJson, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = integer(value);
      const want = integer(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** True when the node satisfies every expression and field of the term; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTermJson, node: Node): boolean {
  const exprs = list<NodeRequirementJson>(term.matchExpressions);
  const fields = list<NodeRequirementJson>(term.matchFields);
  if (!exprs.length && !fields.length) return false;
  const labels = labelsOf(node);
  if (!exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key ?? '') ? labels[r.key ?? ''] : undefined))) return false;
  // metadata.name is the only field a node selector may use, with In or NotIn.
  return fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, nameOf(node)));
}

/** The pod's required node selector terms (ORed), or undefined when it sets none. */
export function requiredTerms(pod: Pod): NodeSelectorTermJson[] | undefined {
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required ? list<NodeSelectorTermJson>(required.nodeSelectorTerms) : undefined;
}

/** True when the node satisfies the pod's nodeSelector and its required node affinity. */
export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = labelsOf(node);
  for (const [k, v] of Object.entries(stringMap(pod.spec?.nodeSelector))) if (labels[k] !== v) return false;
  const terms = requiredTerms(pod);
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

/** True when the toleration tolerates the taint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator && t.operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first of the taints with one of `effects` that no toleration tolerates. */
export function untoleratedTaint(taints: Taint[], tolerations: Toleration[], effects: string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(String(taint.effect)) && !tolerations.some((t) => tolerates(t, taint)));
}

/** The taint effects that keep new pods off a node. */
export const DO_NOT_SCHEDULE = ['NoSchedule', 'NoExecute'];

/** True when the pod tolerates every NoSchedule and NoExecute taint of the node. */
export const toleratesNode = (pod: Pod, node: Node): boolean =>
  untoleratedTaint(taintsOf(node), list<Toleration>(pod.spec?.tolerations), DO_NOT_SCHEDULE) === undefined;
