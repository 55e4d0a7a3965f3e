// The schema language of CustomResourceDefinitions (JSONSchemaProps), as data, and the checks
// that a CRD schema is structural. JSONSchemaProps is recursive; some of its fields take one of
// two JSON forms (a schema or a list, a schema or a boolean), which protobuf carries as wrapper
// messages: the protobuf view below decodes those, and protoSchemaToJson turns them back.
import { forbiddenValue, invalidValue, notSupported, required, type FieldError } from '../field-error.js';
import { def, f, type Definitions, type FieldSchema } from '../schema.js';

/** OpenAPI name prefix of the apiextensions.k8s.io/v1 schemas. */
export const AX = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';
/** Name prefix of the protobuf views of the CRD schemas (never served in OpenAPI). */
export const AX_PROTO = 'kubelab.protobuf.apiextensions.v1.';

const JSP = `${AX}JSONSchemaProps`;
const JSON_VALUE = `${AX}JSON`;

/** The fields of JSONSchemaProps; `ref(name)` names the schema of nested schemas and of the either-or wrappers. */
function schemaProps(ref: (name: string) => string): Record<string, FieldSchema> {
  const jsp = ref('JSONSchemaProps');
  const n = { keepZero: true };
  return {
    id: f.str(1, 'Identifier of the schema; not supported in CRDs.'),
    $schema: f.str(2, 'URI of the JSON-Schema dialect; not supported in CRDs.'),
    $ref: f.str(3, 'Reference to another schema; not supported in CRDs.'),
    description: f.str(4, 'What the value is, for people (shown by kubectl explain).'),
    type: f.str(5, 'JSON type: object, array, string, integer, number or boolean.'),
    format: f.str(6, 'Format of the value, e.g. int32, date-time, byte, uri, uuid, email.'),
    title: f.str(7, 'Short title of the schema.'),
    default: f.ref(8, JSON_VALUE, 'Value filled in when the field is absent.', n),
    maximum: f.double(9, 'Largest allowed number.', n),
    exclusiveMaximum: f.bool(10, 'Whether maximum itself is excluded.'),
    minimum: f.double(11, 'Smallest allowed number.', n),
    exclusiveMinimum: f.bool(12, 'Whether minimum itself is excluded.'),
    maxLength: f.int64(13, 'Longest allowed string, in characters.', n),
    minLength: f.int64(14, 'Shortest allowed string, in characters.', n),
    pattern: f.str(15, 'Regular expression strings must match.'),
    maxItems: f.int64(16, 'Most items a list may have.', n),
    minItems: f.int64(17, 'Fewest items a list may have.', n),
    uniqueItems: f.bool(18, 'Whether list items must differ; may not be true in CRDs.'),
    multipleOf: f.double(19, 'Numbers must be a multiple of this.', n),
    enum: f.list(20, 'The only values allowed.', JSON_VALUE, { listType: 'atomic' }),
    maxProperties: f.int64(21, 'Most properties an object may have.', n),
    minProperties: f.int64(22, 'Fewest properties an object may have.', n),
    required: f.list(23, 'Properties that must be present.', 'string', { listType: 'atomic' }),
    items: f.ref(24, ref('JSONSchemaPropsOrArray'), 'Schema of list items.'),
    allOf: f.list(25, 'Schemas the value must all match.', jsp, { listType: 'atomic' }),
    oneOf: f.list(26, 'Schemas the value must match exactly one of.', jsp, { listType: 'atomic' }),
    anyOf: f.list(27, 'Schemas the value must match at least one of.', jsp, { listType: 'atomic' }),
    not: f.ref(28, jsp, 'Schema the value must not match.'),
    properties: f.map(29, 'Schemas of the object properties, by name.', jsp),
    additionalProperties: f.ref(30, ref('JSONSchemaPropsOrBool'), 'Schema of map values, for objects used as maps.'),
    patternProperties: f.map(31, 'Schemas of properties whose names match a pattern; not supported in CRDs.', jsp),
    dependencies: f.map(32, 'Properties or schemas required when a property is present; not supported in CRDs.', ref('JSONSchemaPropsOrStringArray')),
    additionalItems: f.ref(33, ref('JSONSchemaPropsOrBool'), 'Schema of extra list items; not supported in CRDs.'),
    definitions: f.map(34, 'Named schemas to refer to; not supported in CRDs.', jsp),
    externalDocs: f.ref(35, `${AX}ExternalDocumentation`, 'Link to more documentation.'),
    example: f.ref(36, JSON_VALUE, 'An example value.', n),
    nullable: f.bool(37, 'Whether null is allowed (and kept) as the value.'),
    'x-kubernetes-preserve-unknown-fields': f.bool(38, 'Keep fields the schema does not list instead of dropping them; true or absent.', n),
    'x-kubernetes-embedded-resource': f.bool(39, 'The value is a whole Kubernetes object with apiVersion, kind and metadata; type must be object.'),
    'x-kubernetes-int-or-string': f.bool(40, 'The value is a whole number or a string.'),
    'x-kubernetes-list-map-keys': f.list(41, 'Item properties that identify an item of a list of type map.', 'string', { listType: 'atomic' }),
    'x-kubernetes-list-type': f.str(42, 'How a list merges: atomic (replaced whole), set (unique scalars) or map (items keyed by x-kubernetes-list-map-keys).', n),
    'x-kubernetes-map-type': f.str(43, 'How an object merges: granular (by field) or atomic (replaced whole).', n),
    'x-kubernetes-validations': f.list(44, 'CEL rules the value must satisfy.', `${AX}ValidationRule`, { mergeKey: 'rule' }),
  };
}

/** Named schemas of the CRD schema language, and the protobuf views of the wrappers. */
export const SCHEMA_DEFINITIONS: Definitions = {
  [JSP]: def('A JSON schema (draft 4 subset with Kubernetes extensions) that custom objects are validated, pruned and defaulted with.', schemaProps((n) => `${AX}${n}`)),
  [JSON_VALUE]: { description: 'Any JSON value: object, list, string, number, boolean or null.', protoKind: 'rawjson' },
  [`${AX}JSONSchemaPropsOrArray`]: { description: 'A schema, or a list of schemas (lists are not supported in CRDs).' },
  [`${AX}JSONSchemaPropsOrBool`]: { description: 'A schema, or a boolean (true allows anything, false nothing).' },
  [`${AX}JSONSchemaPropsOrStringArray`]: { description: 'A schema, or a list of property names.' },
  [`${AX}ExternalDocumentation`]: def('A link to more documentation.', {
    description: f.str(1, 'What the link is about.'),
    url: f.str(2, 'The address.'),
  }),
  [`${AX}ValidationRule`]: def(
    'A CEL expression a value must satisfy, with what to say when it does not.',
    {
      rule: f.str(1, 'The CEL expression; self is the value, oldSelf the previous one on updates.'),
      message: f.str(2, 'Message when the rule fails; "failed rule: <rule>" when empty.'),
      messageExpression: f.str(3, 'CEL expression producing the failure message.'),
      reason: f.str(4, 'Reason returned when the rule fails: FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.', { enum: ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'] }),
      fieldPath: f.str(5, 'Path of the field reported when the rule fails, relative to the value.'),
      optionalOldSelf: f.bool(6, 'Run the rule on create too, with oldSelf as an optional value.', { keepZero: true }),
    },
    { required: ['rule'] },
  ),
  // Protobuf views: the same fields, with the either-or fields as the wrapper messages the wire carries.
  [`${AX_PROTO}JSONSchemaProps`]: def('Protobuf view of JSONSchemaProps.', schemaProps((n) => `${AX_PROTO}${n}`)),
  [`${AX_PROTO}JSONSchemaPropsOrArray`]: def('Protobuf view of a schema or a list of schemas.', {
    schema: f.ref(1, `${AX_PROTO}JSONSchemaProps`, 'The schema.'),
    jSONSchemas: f.list(2, 'The list of schemas.', `${AX_PROTO}JSONSchemaProps`),
  }),
  [`${AX_PROTO}JSONSchemaPropsOrBool`]: def('Protobuf view of a schema or a boolean.', {
    allows: f.bool(1, 'The boolean, when there is no schema.', { keepZero: true }),
    schema: f.ref(2, `${AX_PROTO}JSONSchemaProps`, 'The schema.'),
  }),
  [`${AX_PROTO}JSONSchemaPropsOrStringArray`]: def('Protobuf view of a schema or a list of property names.', {
    schema: f.ref(1, `${AX_PROTO}JSONSchemaProps`, 'The schema.'),
    property: f.list(2, 'The property names.', 'string'),
  }),
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (v: Obj, keys: string[]) => Object.keys(v).every((k) => keys.includes(k));

/** Turns a schema decoded from protobuf (wrapper messages for either-or fields) into its JSON form, in place; JSON-form input is left as it is. */
export function protoSchemaToJson(s: unknown): void {
  if (!isObj(s)) return;
  for (const key of ['properties', 'patternProperties', 'definitions']) if (isObj(s[key])) Object.values(s[key] as Obj).forEach(protoSchemaToJson);
  for (const key of ['allOf', 'oneOf', 'anyOf']) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach(protoSchemaToJson);
  protoSchemaToJson(s.not);
  const items = s.items;
  if (isObj(items) && Object.keys(items).length && onlyKeys(items, ['schema', 'jSONSchemas'])) {
    const list = items.jSONSchemas as unknown[] | undefined;
    if (list?.length) s.items = list;
    else if (items.schema) s.items = items.schema;
    else delete s.items;
  }
  if (Array.isArray(s.items)) s.items.forEach(protoSchemaToJson);
  else protoSchemaToJson(s.items);
  for (const key of ['additionalProperties', 'additionalItems']) {
    const v = s[key];
    if (isObj(v) && 'allows' in v && onlyKeys(v, ['allows', 'schema'])) s[key] = v.schema ?? v.allows === true;
    protoSchemaToJson(s[key]);
  }
  if (isObj(s.dependencies)) {
    const deps = s.dependencies as Obj;
    for (const [k, v] of Object.entries(deps)) {
      if (isObj(v) && Object.keys(v).length && onlyKeys(v, ['schema', 'property'])) deps[k] = (v.property as unknown[] | undefined)?.length ? v.property : (v.schema ?? null);
      protoSchemaToJson(deps[k]);
    }
  }
}

type Level = 'root' | 'field' | 'item';
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const NO_TYPE: Record<Level, string> = { root: 'must not be empty at the root', field: 'must not be empty for specified object fields', item: 'must not be empty for specified array items' };

/** Whether `anyOf` is the int-or-string pattern ([{type: integer}, {type: string}]). */
function intOrStringAnyOf(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const [a, b] = anyOf as Obj[];
  return isObj(a) && isObj(b) && a.type === 'integer' && b.type === 'string' && onlyKeys(a, ['type']) && onlyKeys(b, ['type']);
}

/** Errors of a value validation (inside allOf, anyOf, oneOf, not), which may only restrict values, not describe them. */
function nestedErrors(path: string, s: unknown, skipType = false): FieldError[] {
  if (!isObj(s)) return [];
  const errs: FieldError[] = [];
  const forbid = (key: string, why: string) => errs.push(forbiddenValue(`${path}.${key}`, why));
  if (s.type !== undefined && !skipType) forbid('type', 'must be empty to be structural');
  if (s.additionalProperties !== undefined) forbid('additionalProperties', 'must be undefined to be structural');
  if (s.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (s.title) forbid('title', 'must be empty to be structural');
  if (s.description) forbid('description', 'must be empty to be structural');
  if (s.nullable) forbid('nullable', 'must be false to be structural');
  for (const x of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string']) if (s[x]) forbid(x, 'must be false to be structural');
  if ((s['x-kubernetes-list-map-keys'] as unknown[] | undefined)?.length) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  for (const x of ['x-kubernetes-list-type', 'x-kubernetes-map-type']) if (s[x] !== undefined) forbid(x, 'must be undefined to be structural');
  if (isObj(s.properties) && 'metadata' in s.properties) forbid('properties[metadata]', 'must not be specified in a nested context');
  for (const [k, v] of Object.entries(isObj(s.properties) ? s.properties : {})) errs.push(...nestedErrors(`${path}.properties[${k}]`, v));
  if (isObj(s.items)) errs.push(...nestedErrors(`${path}.items`, s.items));
  errs.push(...valueValidationErrors(path, s));
  return errs;
}

function valueValidationErrors(path: string, s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const skipAnyOf = intOrString && intOrStringAnyOf(s.anyOf);
  const allOf = Array.isArray(s.allOf) ? (s.allOf as unknown[]) : [];
  const skipFirstAllOf = intOrString && isObj(allOf[0]) && intOrStringAnyOf((allOf[0] as Obj).anyOf);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    ((s[key] as unknown[] | undefined) ?? []).forEach((v, i) => {
      if (key === 'allOf' && i === 0 && skipFirstAllOf) {
        const inner = v as Obj;
        errs.push(...nestedErrors(`${path}.allOf[0]`, { ...inner, anyOf: undefined }));
        ((inner.anyOf as unknown[]) ?? []).forEach((w, j) => errs.push(...nestedErrors(`${path}.allOf[0].anyOf[${j}]`, w, true)));
      } else errs.push(...nestedErrors(`${path}.${key}[${i}]`, v, key === 'anyOf' && skipAnyOf));
    });
  }
  if (s.not !== undefined) errs.push(...nestedErrors(`${path}.not`, s.not));
  return errs;
}

function listAndMapErrors(path: string, s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'] as string | undefined;
  const keys = (s['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
  const mapType = s['x-kubernetes-map-type'] as string | undefined;
  const typeErr = (what: string, need: string) => errs.push(s.type ? invalidValue(`${path}.type`, s.type, `must be ${need} if ${what} is specified`) : required(`${path}.type`, `must be ${need} if ${what} is specified`));
  if (mapType !== undefined && s.type !== 'object') typeErr('x-kubernetes-map-type', 'object');
  if (mapType !== undefined && !['atomic', 'granular'].includes(mapType)) errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  if (listType !== undefined && s.type !== 'array') typeErr('x-kubernetes-list-type', 'array');
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  if (keys.length && listType === undefined) errs.push(required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  else if (keys.length && listType !== 'map') errs.push(invalidValue(`${path}.x-kubernetes-list-type`, listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  if (listType === 'map') {
    const items = s.items;
    if (!keys.length) errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (items === undefined) errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    else if (isObj(items) && items.type !== 'object') errs.push(invalidValue(`${path}.items.type`, items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    else if (isObj(items)) {
      const props = isObj(items.properties) ? items.properties : {};
      for (const k of keys) {
        const p = props[k] as Obj | undefined;
        if (!p) errs.push(invalidValue(`${path}.x-kubernetes-list-map-keys`, keys, 'entries must all be names of item properties'));
        else if (p.type === 'array' || p.type === 'object') errs.push(invalidValue(`${path}.items.properties[${k}].type`, p.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
      }
      if (new Set(keys).size !== keys.length) errs.push(invalidValue(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'));
    }
  }
  return errs;
}

function walk(path: string, s: unknown, level: Level): FieldError[] {
  if (!isObj(s)) return s === undefined ? [] : [invalidValue(path, s, 'must be a schema object')];
  const errs: FieldError[] = [];
  const type = s.type as string | undefined;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (type !== undefined && !TYPES.includes(type)) errs.push(type === 'null' ? forbiddenValue(`${path}.type`, 'type cannot be set to null, use nullable as an alternative') : notSupported(`${path}.type`, type, TYPES));
  if (embedded && type !== 'object') errs.push(type ? invalidValue(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true') : required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
  else if (!type && !embedded && !intOrString) errs.push(required(`${path}.type`, NO_TYPE[level]));
  if (level === 'root' && type && type !== 'object') errs.push(invalidValue(`${path}.type`, type, 'must be object at the root'));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  if (intOrString && s['x-kubernetes-preserve-unknown-fields'] === true) errs.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalidValue(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (s.uniqueItems === true) errs.push(forbiddenValue(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const nonEmpty = (v: unknown) => (isObj(v) ? Object.keys(v).length > 0 : false);
  const unsupported = { id: !!s.id, $ref: s.$ref !== undefined, additionalItems: s.additionalItems !== undefined, patternProperties: nonEmpty(s.patternProperties), definitions: nonEmpty(s.definitions), dependencies: s.dependencies !== undefined && s.dependencies !== null };
  for (const [key, bad] of Object.entries(unsupported)) if (bad) errs.push(forbiddenValue(`${path}.${key}`, `${key} is not supported`));
  const props = isObj(s.properties) ? s.properties : undefined;
  const additional = s.additionalProperties;
  if (additional === false) errs.push(forbiddenValue(`${path}.additionalProperties`, 'additionalProperties cannot be set to false'));
  if (additional !== undefined && props && Object.keys(props).length && additional !== true) errs.push(forbiddenValue(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  if (embedded && additional !== undefined) errs.push(forbiddenValue(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  if (embedded && s['x-kubernetes-preserve-unknown-fields'] !== true && !(props && Object.keys(props).length)) errs.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  if (Array.isArray(s.items)) errs.push(forbiddenValue(`${path}.items`, 'items must be a schema object and not an array'));
  else if (s.items !== undefined) errs.push(...walk(`${path}.items`, s.items, 'item'));
  else if (type === 'array') errs.push(required(`${path}.items`, 'must be specified'));
  if (isObj(additional)) errs.push(...walk(`${path}.additionalProperties`, additional, 'field'));
  for (const [k, v] of Object.entries(props ?? {})) {
    if (k === 'metadata' && (level === 'root' || embedded)) errs.push(...metadataErrors(`${path}.properties[metadata]`, v, level === 'root'));
    else errs.push(...walk(`${path}.properties[${k}]`, v, 'field'));
  }
  for (const k of ['apiVersion', 'kind']) {
    const p = props?.[k] as Obj | undefined;
    if (p && (level === 'root' || embedded) && p.type !== 'string') errs.push(invalidValue(`${path}.properties[${k}].type`, p.type ?? '', 'must be string'));
  }
  errs.push(...listAndMapErrors(path, s), ...valueValidationErrors(path, s));
  return errs;
}

function metadataErrors(path: string, s: unknown, root: boolean): FieldError[] {
  if (!isObj(s)) return [];
  const errs: FieldError[] = [];
  if (s.type !== undefined && s.type !== 'object') errs.push(invalidValue(`${path}.type`, s.type, 'must be object'));
  const names = Object.keys(isObj(s.properties) ? s.properties : {});
  if (root && names.some((n) => n !== 'name' && n !== 'generateName')) errs.push(forbiddenValue(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  return errs;
}

/**
 * Errors that keep a CRD version schema at `path` from being structural, as Kubernetes reports
 * them: a type on every level (unless int-or-string or an embedded resource), an object at the
 * root, one item schema per list, value validations that only restrict, and the list/map
 * extensions used consistently. Takes the schema in its JSON form.
 */
export function structuralSchemaErrors(path: string, schema: unknown): FieldError[] {
  return walk(path, schema, 'root');
}
