// The host's Docker state as the dashboard's sockets see it: the clusters and the engine's health,
// read again after each operation step and, while at least one socket is open, every few seconds.
// Only changes are broadcast. (Kubernetes objects never pass here: the renderer watches those.)
import { readFile } from 'node:fs/promises';
import { errorMessage, KubelabError } from '../errors.js';
import type { Engine } from '../index.js';
import { kubeconfigContextsOf, kubeconfigPath } from '../kubeconfig/kubeconfig.js';
import type { Logger } from '../log/logger.js';
import { summarizeClusters } from './cluster-summary.js';
import type { ClusterSummary, EngineHealth, ServerMessage } from './contract.js';
import type { Operations } from './operations.js';

/** Whether the engine's Docker answers, with the engine's own message and hint when it does not. */
export async function engineHealth(engine: Engine): Promise<EngineHealth> {
  try {
    await engine.provider.ping();
    return { docker: 'ok' };
  } catch (err) {
    const health: EngineHealth = { docker: 'down', message: errorMessage(err) };
    health.hint = err instanceof KubelabError && err.hint ? err.hint : 'start Docker, or point DOCKER_HOST at a running engine';
    return health;
  }
}

/** The context names in the kubeconfig kubelab writes to (none when it is missing or unreadable). */
export async function kubeconfigContexts(file = kubeconfigPath()): Promise<Set<string>> {
  return (await kubeconfigState(file)).names;
}

/** The context names and the current-context of the kubeconfig kubelab writes to (none when it is missing or unreadable). */
export async function kubeconfigState(file = kubeconfigPath()): Promise<{ names: Set<string>; current?: string }> {
  try {
    return kubeconfigContextsOf(await readFile(file, 'utf8'));
  } catch {
    return { names: new Set() };
  }
}

/**
 * How often the clusters are read again while a socket is open. Each read checks every running
 * node from inside (a docker exec each), so it stays slow; the dashboard's own operations push
 * their changes at once, this only catches what the CLI or Docker did meanwhile.
 */
export const POLL_MS = 10_000;

/** Reads clusters and engine health, and broadcasts what changed. */
export class ClusterFeed {
  private clusters?: ClusterSummary[];
  private health?: EngineHealth;
  private lastClusters = '';
  private lastHealth = '';
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly engine: Engine,
    private readonly ops: Operations,
    private readonly broadcast: (msg: ServerMessage) => void,
    private readonly log: Logger,
  ) {}

  /** The last known state, as messages for a socket that just opened. */
  snapshot(): ServerMessage[] {
    const out: ServerMessage[] = [];
    if (this.health) out.push({ type: 'engine', engine: this.health });
    if (this.clusters) out.push({ type: 'clusters', clusters: this.clusters });
    return out;
  }

  /** Reads the state again (at most one read at a time; a request during a read runs one more after it). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.read().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  /** Polls every POLL_MS while `on`; the sockets' hub turns it on with the first socket and off with the last. */
  poll(on: boolean): void {
    if (on && !this.timer) {
      this.timer = setInterval(() => void this.refresh(), POLL_MS);
      this.timer.unref();
    } else if (!on && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async read(): Promise<void> {
    const health = await engineHealth(this.engine);
    const healthJson = JSON.stringify(health);
    this.health = health;
    if (healthJson !== this.lastHealth) {
      this.lastHealth = healthJson;
      this.broadcast({ type: 'engine', engine: health });
    }
    if (health.docker !== 'ok') return;
    try {
      const [statuses, kube] = await Promise.all([this.engine.clusters.list(), kubeconfigState()]);
      const clusters = summarizeClusters(statuses, kube.names, this.ops.activeAll(), kube.current);
      const json = JSON.stringify(clusters);
      this.clusters = clusters;
      if (json !== this.lastClusters) {
        this.lastClusters = json;
        this.broadcast({ type: 'clusters', clusters });
      }
    } catch (err) {
      this.log.v(1).warn(`dashboard: could not list the clusters: ${errorMessage(err)}`);
    }
  }
}
