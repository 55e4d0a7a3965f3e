// What an update may change in a running pod's spec (Kubernetes 1.34's ValidatePodUpdate): images,
// a shorter activeDeadlineSeconds, added tolerations, removed scheduling gates, and a negative grace
// period raised to 1. Anything else is refused with upstream's message.
import { forbiddenValue, invalidValue, required, type FieldError } from '../field-error.js';
import type { ContainerJson, PodSpecJson, TolerationJson } from './pod-json.js';

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/** JSON with sorted keys, for comparisons that ignore key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A short account of which spec fields differ, in the spirit of upstream's diff. */
function describeDiff(old: PodSpecJson, next: PodSpecJson): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  const lines = keys
    .filter((k) => stable(old[k]) !== stable(next[k]))
    .flatMap((k) => [`- \t${k}: ${stable(old[k] ?? null)},`, `+ \t${k}: ${stable(next[k] ?? null)},`]);
  return ['  core.PodSpec{', ...lines, '  }'].join('\n');
}

/** Tolerations of the old pod must all still be there (only tolerationSeconds of NoExecute ones may shrink). */
function tolerationErrors(next: TolerationJson[], old: TolerationJson[]): FieldError[] {
  const same = (a: TolerationJson, b: TolerationJson) => a.key === b.key && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
  const errs: FieldError[] = [];
  old.forEach((o, i) => {
    const match = next.find((n) => same(n, o));
    if (!match) errs.push(forbiddenValue(`spec.tolerations[${i}]`, 'existing toleration can not be modified except its tolerationSeconds'));
    else if (o.tolerationSeconds !== undefined && (match.tolerationSeconds === undefined || match.tolerationSeconds > o.tolerationSeconds)) {
      errs.push(forbiddenValue(`spec.tolerations[${i}].tolerationSeconds`, 'existing toleration can not be modified except its tolerationSeconds'));
    }
  });
  return errs;
}

/** Errors of changing a pod's spec from `old` to `next`. */
export function podUpdateErrors(next: PodSpecJson, old: PodSpecJson): FieldError[] {
  const errs: FieldError[] = [];
  const munged = structuredClone(next);
  for (const list of ['containers', 'initContainers'] as const) {
    (next[list] ?? []).forEach((c: ContainerJson, i) => {
      if (!c.image) errs.push(required(`spec.${list}[${i}].image`));
      const before = old[list]?.[i];
      if (before && c.image) munged[list]![i]!.image = before.image;
    });
  }
  const nextAds = next.activeDeadlineSeconds;
  const oldAds = old.activeDeadlineSeconds;
  if (nextAds !== undefined) {
    if (nextAds < 0 || nextAds > 2147483647) errs.push(invalidValue('spec.activeDeadlineSeconds', nextAds, 'must be between 0 and 2147483647, inclusive'));
    else if (oldAds !== undefined && oldAds < nextAds) errs.push(invalidValue('spec.activeDeadlineSeconds', nextAds, 'must be less than or equal to previous value'));
  } else if (oldAds !== undefined) errs.push(invalidValue('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  if (errs.length) return errs;
  munged.activeDeadlineSeconds = oldAds;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && next.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  const tolErrs = tolerationErrors(next.tolerations ?? [], old.tolerations ?? []);
  if (tolErrs.length) return tolErrs;
  munged.tolerations = old.tolerations;
  const oldGates = (old.schedulingGates ?? []).map((g) => g.name);
  const added = (next.schedulingGates ?? []).find((g) => !oldGates.includes(g.name));
  if (added) return [forbiddenValue('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${added.name}'`)];
  munged.schedulingGates = old.schedulingGates;
  if (stable(munged) !== stable(old)) {
    errs.push(forbiddenValue('spec', `pod updates may not change fields other than ${UPDATABLE}\n${describeDiff(old, munged)}`));
  }
  return errs;
}
