// The served API types, as data. Field names and structure follow Kubernetes; the words are ours.
// Validation, defaulting, protobuf, OpenAPI, discovery and table printing read from here, so
// adding a kind is one entry in one of the files under types/.
import { EVENTS_V1, HPA_V1 } from './conversion.js';
import type { FieldSchema } from './schema.js';
import type { ResourceType, TypeGroup } from './resource-type.js';
import { APIEXTENSIONS } from './types/apiextensions.js';
import { APPS } from './types/apps.js';
import { AUTHENTICATION } from './types/authentication.js';
import { AUTHORIZATION } from './types/authorization.js';
import { AUTOSCALING } from './types/autoscaling.js';
import { BATCH } from './types/batch.js';
import { CORE } from './types/core.js';
import { CORE_POD } from './types/core-pod.js';
import { DISCOVERY } from './types/discovery.js';
import { EVENTS } from './types/events.js';
import { NETWORKING } from './types/networking.js';
import { POLICY } from './types/policy.js';
import { RBAC } from './types/rbac.js';
import { SCHEDULING } from './types/scheduling.js';
import { STORAGE } from './types/storage.js';
import { COORDINATION } from './types/coordination.js';
import { CORE_CONFIG } from './types/core-config.js';
import { META_DEFINITIONS } from './types/meta.js';

export type { ApiObject, Column, ObjectMeta, ResourceType } from './resource-type.js';

/** Every group of built-in types. */
const GROUPS: TypeGroup[] = [
  CORE_CONFIG, CORE_POD, CORE, EVENTS, DISCOVERY, COORDINATION, APPS, BATCH, AUTOSCALING, POLICY,
  NETWORKING, STORAGE, RBAC, APIEXTENSIONS, AUTHORIZATION, AUTHENTICATION, SCHEDULING,
];

/** Every served built-in resource type. */
export const RESOURCES: ResourceType[] = GROUPS.flatMap((g) => g.resources);

// Versions kept in another version's store.
for (const t of RESOURCES) {
  if (t.group === 'autoscaling' && t.version === 'v1' && t.kind === 'HorizontalPodAutoscaler') t.conversion = HPA_V1;
  if (t.group === 'events.k8s.io' && t.kind === 'Event') t.conversion = EVENTS_V1;
}

/** Every named schema, keyed by OpenAPI component name. */
export const DEFINITIONS: Record<string, FieldSchema> = Object.assign({}, META_DEFINITIONS, ...GROUPS.map((g) => g.definitions));
for (const g of GROUPS) {
  for (const [name, embedded] of Object.entries(g.embeddedProto ?? {})) {
    if (!DEFINITIONS[name]) throw new Error(`embedded protobuf fields for unknown schema ${name}`);
    DEFINITIONS[name] = { ...DEFINITIONS[name], protoEmbedded: embedded };
  }
}

/** The schema of a kind (its named definition). */
export function kindSchema(type: ResourceType): FieldSchema {
  const s = DEFINITIONS[type.schemaName];
  if (!s) throw new Error(`no schema ${type.schemaName} for ${type.kind}`);
  return s;
}

/** Follows a reference to its named schema; other schemas are returned as they are. */
export function resolve(schema: FieldSchema): FieldSchema {
  if (!schema.ref) return schema;
  const named = DEFINITIONS[schema.ref];
  if (!named) throw new Error(`unknown schema ${schema.ref}`);
  return named;
}

/** Top-level fields of a kind besides apiVersion and kind. */
export function kindFields(type: ResourceType): string[] {
  return Object.keys(kindSchema(type).properties ?? {});
}

/** apiVersion string of a type: "v1" for the core group, "group/version" otherwise. */
export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Finds a type by group, version and plural resource name. */
export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** Finds a type by apiVersion and kind. */
export function findKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** Schema name of any kind a request body may carry: a served kind, or a body-only kind (Scale, Eviction…). */
export function bodySchemaName(apiVersion: string, kind: string): string | undefined {
  const body = GROUPS.flatMap((g) => g.bodyKinds ?? []).find((b) => (b.apiVersion === apiVersion || b.apiVersion === '*') && b.kind === kind);
  return body?.schemaName ?? findKind(apiVersion, kind)?.schemaName;
}

/** Kinds whose metadata.generation counts changes to their desired state (as upstream's strategies do). */
const GENERATION_KINDS = new Set([
  'Pod', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler',
  'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'CustomResourceDefinition', 'ServiceCIDR', 'PersistentVolumeClaim',
]);

/** Whether writes to a type maintain metadata.generation (custom resources always do). */
export function tracksGeneration(type: ResourceType): boolean {
  return GENERATION_KINDS.has(type.kind) || type.custom === true;
}

/** Types and schemas served from CustomResourceDefinitions, by the CRD that declares them. */
const customByOwner = new Map<string, { types: ResourceType[]; definitions: string[] }>();

/**
 * Serves the types of a CRD (replacing what it served before). The registry is process-wide:
 * one apiserver process serves one cluster's API.
 */
export function registerCustom(owner: string, types: ResourceType[], definitions: Record<string, FieldSchema>): void {
  unregisterCustom(owner);
  for (const t of types) {
    if (RESOURCES.some((r) => r.group === t.group && r.version === t.version && (r.resource === t.resource || r.kind === t.kind))) {
      throw new Error(`${t.resource}.${t.group}/${t.version} is already served`);
    }
  }
  RESOURCES.push(...types);
  Object.assign(DEFINITIONS, definitions);
  customByOwner.set(owner, { types, definitions: Object.keys(definitions) });
}

/** Stops serving the types of a CRD. */
export function unregisterCustom(owner: string): void {
  const prev = customByOwner.get(owner);
  if (!prev) return;
  for (const t of prev.types) {
    const at = RESOURCES.indexOf(t);
    if (at >= 0) RESOURCES.splice(at, 1);
  }
  for (const d of prev.definitions) delete DEFINITIONS[d];
  customByOwner.delete(owner);
}
