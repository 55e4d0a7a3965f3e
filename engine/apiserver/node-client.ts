// How the apiserver reaches a node's endpoint (the kubelet port) by the Node object: the node's
// InternalIP (its Hostname when it has none), the apiserver's client certificate and the cluster
// CA. The metrics API and the nodes/proxy subresource both go this way.
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { NODE_ENDPOINT_PORT } from '../supervisor/contract.js';
import type { NodeClientTls } from './pod-log.js';

/** The parts of a Node this file reads. */
export interface NodeAddresses {
  status?: { addresses?: Array<{ type: string; address: string }> };
}

/** The address the node endpoint of `node` listens on: its InternalIP, else its Hostname; undefined when it has neither. */
export function nodeAddress(node: NodeAddresses): string | undefined {
  const addrs = node.status?.addresses ?? [];
  return (addrs.find((a) => a.type === 'InternalIP') ?? addrs.find((a) => a.type === 'Hostname'))?.address;
}

/** The port node endpoints listen on for this apiserver. */
export function nodePort(tls: NodeClientTls): number {
  return tls.port ?? NODE_ENDPOINT_PORT;
}

/** One request to a node endpoint. */
export interface NodeRequest {
  method?: string;
  /** Path and query on the node. */
  path: string;
  headers?: OutgoingHttpHeaders;
  /** Idle time (ms) after which the request fails with "the node did not answer within …". */
  timeoutMs: number;
}

/**
 * Starts a request to the endpoint at `host` as the apiserver (the caller writes any body and
 * ends it). A connection failure or an idle timeout arrives as the request's 'error' event.
 */
export function nodeRequest(host: string, tls: NodeClientTls, opts: NodeRequest, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const req = request(
    { host, port: nodePort(tls), method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, ca: tls.ca, cert: tls.cert, key: tls.key, timeout: opts.timeoutMs },
    onResponse,
  );
  req.on('timeout', () => req.destroy(new Error(`the node did not answer within ${opts.timeoutMs / 1000}s`)));
  return req;
}
