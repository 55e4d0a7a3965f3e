// componentstatuses: the health of the control plane's parts, asked live on every read
// (etcd through the store; the scheduler and controller-manager through their health ports).
import { request } from 'node:https';
import { apiVersionOf, type ApiObject, type ResourceType } from '../api/registry.js';
import type { Storage } from '../store/storage.js';
import { sendJson, type RequestContext } from './context.js';
import { CONTROLLER_MANAGER_PORT, SCHEDULER_PORT } from '../supervisor/contract.js';
import { notFound } from './status.js';
import { tableVersion, toTable, wantsTable } from './table.js';

/** Health ports of the control-plane components that have one. */
const COMPONENT_PORTS = { scheduler: SCHEDULER_PORT, 'controller-manager': CONTROLLER_MANAGER_PORT } as const;

function probe(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? undefined : `Get "https://127.0.0.1:${port}/healthz": HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(`Get "https://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: ${err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.message}`));
    req.end();
  });
}

function status(name: string, error: string | undefined): ApiObject {
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: error ? 'False' : 'True', ...(error ? { error } : { message: 'ok' }) }],
  };
}

/** The status of every control-plane component now. */
export async function componentStatuses(storage: Storage): Promise<ApiObject[]> {
  const etcd = await storage.revision().then(
    () => undefined,
    (err: Error) => err.message,
  );
  const [scheduler, cm] = await Promise.all([probe(COMPONENT_PORTS.scheduler), probe(COMPONENT_PORTS['controller-manager'])]);
  return [status('controller-manager', cm), status('etcd-0', etcd), status('scheduler', scheduler)];
}

/** GET on componentstatuses (list) or componentstatuses/NAME. */
export async function serveComponentStatuses(storage: Storage, ctx: RequestContext): Promise<void> {
  const all = await componentStatuses(storage);
  const { type, path, req, res } = ctx;
  res.setHeader('Warning', '299 - "v1 ComponentStatus is deprecated in v1.19+"');
  const chosen = path.name ? all.filter((c) => c.metadata.name === path.name) : all;
  if (path.name && chosen.length === 0) throw notFound({ resource: type.resource, kind: type.kind, group: '', name: path.name });
  if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(type, chosen, { apiVersion: tableVersion(req.headers.accept) }));
  if (path.name) return sendJson(res, 200, chosen[0]);
  sendJson(res, 200, { kind: 'ComponentStatusList', apiVersion: apiVersionOf(type as ResourceType), metadata: {}, items: chosen });
}
