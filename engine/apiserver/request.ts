import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeMessage, ProtoError, unwrapEnvelope } from '../api/protobuf.js';
import { kindMessage } from '../api/proto-schemas.js';
import { badRequest, failure } from './status.js';

/** A resource request, as parsed from its path. */
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

/**
 * Parses /api/v1/... and /apis/GROUP/VERSION/... into their parts; undefined for paths that are
 * not resource paths (discovery, health). `namespaces/NS/RESOURCE[/NAME[/SUB]]` scopes to NS.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const seg = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api' && seg[1]) [group, version, rest] = ['', seg[1], seg.slice(2)];
  else if (seg[0] === 'apis' && seg[1] && seg[2]) [group, version, rest] = [seg[1], seg[2], seg.slice(3)];
  else return undefined;
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
    return { group, version, resource: 'namespaces', name: rest[1], subresource: rest[2] };
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, resource, name, subresource] = rest;
    return { group, version, namespace, resource: resource!, name, subresource };
  }
  const [resource, name, subresource] = rest;
  return { group, version, resource: resource!, name, subresource };
}

/** Largest request body accepted (Kubernetes allows 3 MiB). */
export const MAX_BODY = 3 * 1024 * 1024;

/** Reads and parses a JSON body; 413 when too large, 400 when it is not a JSON object (or list, for JSON patches). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  const protobuf = type === 'application/vnd.kubernetes.protobuf';
  const yaml = type === 'application/apply-patch+yaml' || type === 'application/yaml';
  if (!protobuf && !yaml && type !== '' && !/^application\/(json|[\w.-]*\+json)$/.test(type)) {
    req.resume();
    throw failure(415, 'UnsupportedMediaType', `the body's content type "${type}" is not supported: send JSON (application/json)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      req.resume();
      throw failure(413, 'RequestEntityTooLarge', `the request body is too large: limit is ${MAX_BODY} bytes`);
    }
    chunks.push(chunk);
  }
  if (protobuf) return decodeProtobuf(Buffer.concat(chunks));
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  if (yaml) {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Decodes a Kubernetes protobuf body of a served kind into its JSON form; 415 for kinds without a schema, 400 for bad bytes. */
function decodeProtobuf(body: Buffer): unknown {
  try {
    const { apiVersion, kind, raw } = unwrapEnvelope(body);
    const schema = kindMessage(apiVersion, kind);
    if (!schema) throw failure(415, 'UnsupportedMediaType', `protobuf bodies of kind "${kind}" are not supported: send JSON (application/json)`);
    return { apiVersion, kind, ...decodeMessage(raw, schema) };
  } catch (err) {
    if (err instanceof ProtoError) throw badRequest(`the protobuf body could not be decoded: ${err.message}`);
    throw err;
  }
}
