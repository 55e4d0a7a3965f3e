// Protobuf messages derived from the registry's schemas: each field's number is on its schema.
import type { ProtoField, ProtoMessage, ProtoScalar } from './protobuf.js';
import { bodySchemaName, DEFINITIONS } from './registry.js';
import type { FieldSchema } from './schema.js';

const named = new Map<string, ProtoMessage>();
const inline = new WeakMap<FieldSchema, ProtoMessage>();

/** The protobuf message of a named schema (cached; cycles are fine). */
export function namedMessage(name: string): ProtoMessage {
  const hit = named.get(name);
  if (hit) return hit;
  const def = DEFINITIONS[name];
  if (!def) throw new Error(`unknown schema ${name}`);
  const msg: ProtoMessage = {};
  named.set(name, msg);
  fill(msg, def);
  return msg;
}

function fill(msg: ProtoMessage, schema: FieldSchema): void {
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (field.proto) msg[field.proto] = protoField(name, field);
  }
  // Fields JSON shows here but protobuf keeps in a nested message.
  for (const [nested, fields] of Object.entries(schema.protoEmbedded ?? {})) {
    const inner: ProtoMessage = {};
    for (const [name, n] of Object.entries(fields)) {
      const field = schema.properties?.[name];
      if (field) inner[n] = protoField(name, field);
    }
    msg[Number(nested)] = { name: `embedded${nested}`, type: inner, inline: true };
  }
}

function protoField(name: string, field: FieldSchema): ProtoField {
  const repeated = field.type === 'array';
  const type = repeated ? valueType(field.items!) : field.additionalProperties ? { map: valueType(field.additionalProperties) as ProtoScalar | ProtoMessage } : valueType(field);
  return { name, type, ...(repeated ? { repeated } : {}), ...(field.keepZero ? { keepZero: true } : {}) };
}

/** The protobuf type of a value schema (not an array or map itself). */
function valueType(s: FieldSchema): ProtoScalar | ProtoMessage {
  if (s.ref) {
    const def = DEFINITIONS[s.ref];
    if (def?.protoKind) return def.protoKind as ProtoScalar;
    return namedMessage(s.ref);
  }
  if (s.protoKind) return s.protoKind === 'bytes' ? 'bytes' : (s.protoKind as ProtoScalar);
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? 'bytes' : 'string';
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'double';
    case 'object': {
      let m = inline.get(s);
      if (!m) {
        m = {};
        inline.set(s, m);
        fill(m, s);
      }
      return m;
    }
    default:
      throw new Error(`no protobuf type for schema "${s.description}"`);
  }
}

/** The message of a kind by apiVersion and kind (served or body-only), or undefined when it is not known. */
export function kindMessage(apiVersion: string, kind: string): ProtoMessage | undefined {
  const name = bodySchemaName(apiVersion, kind);
  return name ? namedMessage(name) : undefined;
}
