// Request bodies of the dashboard API, checked with the rules the CLI applies to the same input.
import { validateClusterName, validateNodeCount } from '../cluster/names.js';
import { KubelabError } from '../errors.js';
import type { CreateClusterRequest } from './contract.js';

/** Most nodes a cluster created from the dashboard may have (the contract's 1..10). */
export const MAX_DASHBOARD_NODES = 10;

/** A CreateClusterRequest from a parsed JSON body; throws a usage KubelabError (exitCode 2 → 400) saying what is wrong. */
export function parseCreateRequest(body: unknown): CreateClusterRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new KubelabError('the body must be a JSON object', { hint: 'send {"name": "dev", "nodes": 2}', exitCode: 2 });
  }
  const { name, nodes } = body as Record<string, unknown>;
  if (typeof name !== 'string') throw new KubelabError('name is required', { hint: 'give the cluster a name, e.g. "dev"', exitCode: 2 });
  if (typeof nodes !== 'number') throw new KubelabError('nodes must be a number', { hint: `give a whole number between 1 and ${MAX_DASHBOARD_NODES}`, exitCode: 2 });
  validateClusterName(name);
  try {
    validateNodeCount(nodes, MAX_DASHBOARD_NODES);
  } catch (err) {
    throw new KubelabError((err as KubelabError).message, { hint: `a cluster has 1 control-plane node plus workers: give between 1 and ${MAX_DASHBOARD_NODES} nodes`, exitCode: 2 });
  }
  return { name, nodes };
}

/** Parses a JSON request body; throws a usage KubelabError when it is not JSON. */
export function parseJsonBody(data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch (err) {
    throw new KubelabError(`the body is not JSON: ${(err as Error).message}`, { exitCode: 2 });
  }
}

/** A WebSocket text message parsed as a JSON object; undefined when it is not JSON or not an object. */
export function parseMessageObject(text: string): Record<string, unknown> | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? (msg as Record<string, unknown>) : undefined;
}
