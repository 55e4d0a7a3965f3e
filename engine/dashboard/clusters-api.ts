// The dashboard's own API (/api): engine health, the clusters, operations on them and their
// docker-env snippet. Operations run through the engine with their progress kept in Operations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dockerEnvScript } from '../cluster/docker-env.js';
import { validateClusterName } from '../cluster/names.js';
import { planNodePower } from '../cluster/node-power.js';
import { KubelabError } from '../errors.js';
import type { Engine } from '../index.js';
import type { ClusterFeed } from './cluster-feed.js';
import { engineHealth, kubeconfigState } from './cluster-feed.js';
import { summarizeClusters } from './cluster-summary.js';
import type { OperationStarted, OperationState, UseContextResult } from './contract.js';
import { OperationBusyError, type Operations } from './operations.js';
import { parseCreateRequest, parseJsonBody } from './requests.js';
import { errorStatus, sendError, sendJson } from './responses.js';
import type { Route } from './routes.js';

/** Largest request body the dashboard API reads. */
const MAX_BODY = 64 * 1024;

/** What the API handlers work with. */
export interface ClustersApiDeps {
  engine: Engine;
  ops: Operations;
  feed: ClusterFeed;
  /** Fires when the dashboard stops: running creates and starts stop and clean up. */
  signal: AbortSignal;
  /** Called once an operation on a cluster ends (the proxy forgets the cluster's old address). */
  onOperationEnd?: (cluster: string) => void;
}

/** Reads a request body up to `limit` bytes; throws a usage error past it. */
export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new KubelabError(`the body is larger than ${limit} bytes`, { exitCode: 2 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Serves the /api routes. */
export class ClustersApi {
  constructor(private readonly deps: ClustersApiDeps) {}

  /** Answers one /api request already routed; never throws (errors become `{ error, hint }`). */
  async handle(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.dispatch(route, req, res);
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      if (err instanceof OperationBusyError) return sendJson(res, 409, { error: err.message, hint: err.hint, operation: err.running.id });
      const { code, error, hint } = errorStatus(err);
      sendError(res, code, error, hint);
    }
  }

  private async dispatch(route: Route, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { engine, ops } = this.deps;
    switch (route.kind) {
      case 'engine':
        return sendJson(res, 200, await engineHealth(engine));
      case 'list-clusters': {
        const [statuses, kube] = await Promise.all([engine.clusters.list(), kubeconfigState()]);
        return sendJson(res, 200, { clusters: summarizeClusters(statuses, kube.names, ops.activeAll(), kube.current) });
      }
      case 'create-cluster': {
        const body = parseCreateRequest(parseJsonBody(await readBody(req)));
        if ((await engine.provider.listClusters()).includes(body.name)) {
          return sendError(res, 409, `cluster "${body.name}" already exists`, 'start it, or pick another name');
        }
        return this.started(res, this.run('create', body.name, (progress) => engine.clusters.start({ name: body.name, nodes: body.nodes }, progress, this.deps.signal)));
      }
      case 'cluster-action': {
        const name = validateClusterName(route.cluster);
        if (!(await engine.provider.listClusters()).includes(name)) {
          return sendError(res, 404, `cluster "${name}" does not exist`, 'see the clusters in the list; create one with the Create button or `kubelab start`');
        }
        const run =
          route.action === 'start'
            ? this.run('start', name, (progress) => engine.clusters.start({ name }, progress, this.deps.signal))
            : route.action === 'stop'
              ? this.run('stop', name, (progress) => engine.clusters.stop(name, progress))
              : this.run('delete', name, (progress) => engine.clusters.delete(name, progress));
        return this.started(res, run);
      }
      case 'node-action': {
        const name = validateClusterName(route.cluster);
        if (!(await engine.provider.listClusters()).includes(name)) {
          return sendError(res, 404, `cluster "${name}" does not exist`, 'see the clusters in the list');
        }
        const node = route.node;
        // Checked before answering, so an unknown node or one already in that state is a 4xx, not a failed operation.
        const nodes = await engine.provider.listNodes(name);
        try {
          planNodePower(name, nodes, node, route.action);
        } catch (err) {
          // An unknown node is a 404; a node already stopped/running or a stopped cluster a 409.
          if (nodes.some((n) => n.name === node)) throw err;
          const { error, hint } = errorStatus(err);
          return sendError(res, 404, error, hint);
        }
        const run =
          route.action === 'stop'
            ? this.run('node-stop', name, (progress) => engine.clusters.stopNode(name, node, progress), node)
            : this.run('node-start', name, (progress) => engine.clusters.startNode(name, node, progress, this.deps.signal), node);
        return this.started(res, run);
      }
      case 'use-context': {
        const context = await engine.clusters.useContext(validateClusterName(route.cluster));
        void this.deps.feed.refresh();
        const body: UseContextResult = { context };
        return sendJson(res, 200, body);
      }
      case 'operation': {
        const op = ops.get(route.id);
        return op ? sendJson(res, 200, op) : sendError(res, 404, `no operation "${route.id}"`, 'operations are kept in memory while the dashboard runs; the last 50 finished ones stay readable');
      }
      case 'docker-env': {
        const name = validateClusterName(route.cluster);
        const target = await engine.clusters.dockerEnv(name);
        return sendJson(res, 200, { bash: dockerEnvScript('bash', target, process.env, `kubelab docker-env --name ${name}`) });
      }
      default:
        return sendError(res, 404, 'no such endpoint');
    }
  }

  /** Starts an operation and tells the feed at each step; throws OperationBusyError when one runs on the cluster. */
  private run(kind: OperationState['kind'], cluster: string, work: Parameters<Operations['start']>[2], node?: string): OperationState {
    const op = this.deps.ops.start(
      kind,
      cluster,
      async (progress) => {
        try {
          await work(progress);
        } finally {
          this.deps.onOperationEnd?.(cluster);
        }
      },
      node,
    );
    void this.deps.feed.refresh();
    return op;
  }

  private started(res: ServerResponse, op: OperationState): void {
    const body: OperationStarted = { operation: op.id };
    sendJson(res, 202, body, { location: `/api/operations/${op.id}` });
  }
}
