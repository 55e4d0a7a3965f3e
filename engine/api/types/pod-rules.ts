// Defaulting and validation of pod specs and pod templates, shared by Pod and every workload kind
// that embeds a template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob).
// PLACEHOLDER: the pod types' author replaces these with the real rules.
import type { FieldError } from '../field-error.js';

/** Fills a PodSpec's defaults in place, as Kubernetes does (restartPolicy, dnsPolicy, container defaults…). */
export function defaultPodSpec(_spec: Record<string, unknown>): void {}

/** Fills a PodTemplateSpec's defaults in place (its spec's). */
export function defaultPodTemplate(_template: Record<string, unknown> | undefined): void {}

/** Errors of a PodSpec at `path` (e.g. "spec" or "spec.template.spec"). */
export function podSpecErrors(_path: string, _spec: unknown): FieldError[] {
  return [];
}

/** Errors of a PodTemplateSpec at `path` (e.g. "spec.template"). */
export function podTemplateErrors(_path: string, _template: unknown): FieldError[] {
  return [];
}
