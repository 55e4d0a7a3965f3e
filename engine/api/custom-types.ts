// Custom resources: the ResourceTypes and schemas a CustomResourceDefinition declares, built
// from its spec so that the rest of the apiserver serves them like built-in kinds.
import { json } from './jsonpath.js';
import { ageColumn, column, nameColumn, type ApiObject, type Column, type ResourceType } from './resource-type.js';
import { OBJECT_META, type FieldSchema } from './schema.js';

/** The JSON-schema subset of a CRD version's openAPIV3Schema that kubelab reads. */
export interface JsonSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  items?: JsonSchemaProps;
  additionalProperties?: JsonSchemaProps | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** The parts of a CustomResourceDefinition kubelab serves from. */
export interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions: Array<{
    name: string;
    served: boolean;
    storage: boolean;
    schema?: { openAPIV3Schema?: JsonSchemaProps };
    subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
    additionalPrinterColumns?: Array<{ name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }>;
  }>;
}

/** A JSON schema as a FieldSchema (no protobuf numbers: custom resources are JSON only). */
export function fromJsonSchema(s: JsonSchemaProps | undefined): FieldSchema {
  if (!s) return { description: '', preserveUnknown: true, type: 'object' };
  const type = s.type as FieldSchema['type'];
  const out: FieldSchema = { description: s.description ?? '' };
  if (type && !s['x-kubernetes-int-or-string']) out.type = type;
  if (s.format) out.format = s.format;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fromJsonSchema(v)]));
  if (s.items) out.items = fromJsonSchema(s.items);
  if (typeof s.additionalProperties === 'object') out.additionalProperties = fromJsonSchema(s.additionalProperties);
  else if (s.additionalProperties === true) out.preserveUnknown = true;
  if (s.required?.length) out.required = s.required;
  if (s.enum) out.enum = s.enum.map((v) => String(v));
  for (const k of ['default', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'nullable'] as const) if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
  if (s['x-kubernetes-preserve-unknown-fields']) out.preserveUnknown = true;
  if (s['x-kubernetes-int-or-string']) out.intOrString = true;
  if (s['x-kubernetes-embedded-resource']) out.embeddedResource = true;
  if (s['x-kubernetes-list-type']) out.listType = s['x-kubernetes-list-type'];
  if (s['x-kubernetes-list-map-keys']) out.listMapKeys = s['x-kubernetes-list-map-keys'];
  if (s['x-kubernetes-map-type']) out.mapType = s['x-kubernetes-map-type'];
  if (!type && !s.properties && !s.items && !s['x-kubernetes-int-or-string']) out.preserveUnknown = true;
  return out;
}

/** OpenAPI component name of a custom kind: the group reversed, then version and kind (com.example.v1.Widget). */
export function customSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function printerColumns(cols: CrdSpec['versions'][number]['additionalPrinterColumns']): Column[] {
  if (!cols?.length) return [nameColumn, ageColumn];
  const custom = cols.map((c) =>
    column(
      c.name,
      c.description ?? '',
      (o: ApiObject) => {
        const v = json(o, c.jsonPath);
        if (v === undefined) return '<none>';
        if (c.type === 'date' && typeof v === 'string') return ageColumn.cell({ metadata: { name: '', creationTimestamp: v } });
        return typeof v === 'object' ? JSON.stringify(v) : (v as string | number);
      },
      { type: c.type === 'integer' ? 'integer' : c.type === 'date' ? 'date' : 'string', wide: (c.priority ?? 0) > 0 },
    ),
  );
  return [nameColumn, ...custom, ...(cols.some((c) => c.jsonPath === '.metadata.creationTimestamp') ? [] : [ageColumn])];
}

/** Applies a structural schema's defaults to a value in place (fields absent and with a default get it). */
export function applySchemaDefaults(schema: FieldSchema | undefined, value: unknown): void {
  if (!schema || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) applySchemaDefaults(schema.items, v);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    if (obj[k] === undefined && sub.default !== undefined) obj[k] = structuredClone(sub.default);
    applySchemaDefaults(sub, obj[k]);
  }
  if (schema.additionalProperties) for (const [k, v] of Object.entries(obj)) if (!schema.properties?.[k]) applySchemaDefaults(schema.additionalProperties, v);
}

/** The served types and named schemas of one CRD (one per served version). */
export function customTypes(crd: CrdSpec): { types: ResourceType[]; definitions: Record<string, FieldSchema> } {
  const types: ResourceType[] = [];
  const definitions: Record<string, FieldSchema> = {};
  for (const v of crd.versions.filter((x) => x.served)) {
    const schemaName = customSchemaName(crd.group, v.name, crd.names.kind);
    const root = fromJsonSchema(v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const { apiVersion: _a, kind: _k, metadata: _m, ...props } = root.properties ?? {};
    definitions[schemaName] = {
      ...root,
      type: 'object',
      properties: { metadata: { ref: OBJECT_META, description: 'Standard object metadata.' }, ...props },
    };
    const scale = v.subresources?.scale;
    types.push({
      group: crd.group,
      version: v.name,
      kind: crd.names.kind,
      resource: crd.names.plural,
      singular: crd.names.singular || crd.names.kind.toLowerCase(),
      namespaced: crd.scope === 'Namespaced',
      shortNames: crd.names.shortNames ?? [],
      categories: crd.names.categories ?? [],
      schemaName,
      description: root.description || `A ${crd.names.kind}, defined by the CustomResourceDefinition ${crd.names.plural}.${crd.group}.`,
      columns: printerColumns(v.additionalPrinterColumns),
      custom: true,
      subresources: { ...(v.subresources?.status ? { status: true } : {}), ...(scale ? { scale } : {}) },
      defaults(obj) {
        applySchemaDefaults(definitions[schemaName], obj);
      },
    });
  }
  return { types, definitions };
}
