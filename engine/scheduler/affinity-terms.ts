// Pod (anti-)affinity terms read once: which namespaces they cover, which pods they select, and
// the topology key that defines their domain.
import { selects } from './matching.js';
import { labelsOf, namespaceOf, type LabelSelector, type Pod } from './types.js';

/** A PodAffinityTerm as stored. */
export interface PodAffinityTermJson {
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey?: string;
}

/** A term ready to match pods. */
export interface AffinityTerm {
  namespaces: Set<string>;
  namespaceSelector?: LabelSelector;
  selector?: LabelSelector;
  topologyKey: string;
  weight: number;
}

/**
 * The terms of `owner` (the pod that declares them): a term that names no namespaces and has no
 * namespaceSelector covers the owner's own namespace.
 */
export function affinityTerms(owner: Pod, terms: PodAffinityTermJson[], weights: number[] = []): AffinityTerm[] {
  return terms.map((t, i) => {
    const listed = Array.isArray(t.namespaces) ? t.namespaces.map(String) : [];
    const namespaces = new Set(listed.length || t.namespaceSelector ? listed : [namespaceOf(owner)]);
    return { namespaces, namespaceSelector: t.namespaceSelector ?? undefined, selector: t.labelSelector ?? undefined, topologyKey: String(t.topologyKey ?? ''), weight: weights[i] ?? 1 };
  });
}

/** True when `pod` is in one of the term's namespaces and its labels match the term's selector. */
export function termMatchesPod(term: AffinityTerm, pod: Pod, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean {
  const ns = namespaceOf(pod);
  const inNamespace = term.namespaces.has(ns) || (term.namespaceSelector !== undefined && selects(term.namespaceSelector, namespaceLabels(ns) ?? {}));
  return inNamespace && selects(term.selector, labelsOf(pod));
}
