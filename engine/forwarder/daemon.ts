// The forwarder process of one cluster (`kubelab _forwarder <cluster>`, started detached by
// `kubelab start`): follows Services through the apiserver with the admin's certificate, keeps a
// loopback listener per NodePort/LoadBalancer port, reports in its status file, Events and
// LoadBalancer ingress. It outlives the CLI; it ends on SIGTERM or once the cluster is deleted.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { ApiObject } from '../api/resource-type.js';
import { loadPki, type ClusterPki } from '../certs/cluster-pki.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Informer } from '../client/informer.js';
import { RestClient } from '../client/rest-client.js';
import type { Logger } from '../log/logger.js';
import { openTunnel, TunnelError } from '../tunnel/client.js';
import type { ControlPlaneLocation } from './location.js';
import { desiredIngress, desiredListeners, ingressDiffers, serviceKey, type HostListener, type PortConflict, type Service } from './plan.js';
import { PortForwarder } from './port-forwarder.js';
import { forwarderFiles, writeStatus, type ForwarderStatus } from './status-file.js';

/** What the daemon needs. */
export interface ForwarderDaemonOptions {
  home: string;
  cluster: string;
  /** The cluster's certificates folder (the admin pair and the CA). */
  pkiDir: string;
  /** Reads where the control plane is published now (Docker). */
  locate(): Promise<ControlPlaneLocation>;
  log: Logger;
  /** How often the location and the cluster's state folder are checked (default 3 s). */
  checkMs?: number;
}

/** A Service as the informer caches it. */
type ServiceObject = ApiObject & Service;

const SERVICES = { group: '', version: 'v1', resource: 'services' } as const;
const SERVICE_KIND = ['v1', 'Service'] as const;

/** Runs until SIGTERM/SIGINT or until the cluster is gone; resolves after cleaning up. */
export async function runForwarderDaemon(opts: ForwarderDaemonOptions): Promise<void> {
  const daemon = new ForwarderDaemon(opts);
  const stop = () => void daemon.shutdown('stopped by signal');
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await daemon.run();
}

/** A session against one apiserver address; replaced when Docker publishes the control plane elsewhere. */
interface Session {
  apiPort: number;
  client: RestClient;
  informer: Informer<ServiceObject>;
  events: EventRecorder;
}

/** The forwarder loop itself (exported for tests; runForwarderDaemon adds the signal handling). */
export class ForwarderDaemon {
  private readonly files;
  private readonly startedAt = new Date().toISOString();
  private readonly forwarder: PortForwarder;
  private pki?: ClusterPki;
  private tunnelPort?: number;
  private session?: Session;
  private lastError?: { message: string; at: string };
  private conflicts: PortConflict[] = [];
  /** Warnings already recorded as Events (host port, service, message), so repeats are not re-sent. */
  private readonly warned = new Set<string>();
  private syncTimer?: NodeJS.Timeout;
  private stopping = false;
  private wake?: () => void;

  constructor(private readonly opts: ForwarderDaemonOptions) {
    this.files = forwarderFiles(opts.home, opts.cluster);
    this.forwarder = new PortForwarder({
      dial: (nodePort) => this.dial(nodePort),
      say: (line) => opts.log.info(line),
      onChange: (spec, error) => {
        if (error) this.warn(spec.service, spec.hostPort, 'HostPortInUse', `${error}; kubelab cannot forward it to node port ${spec.nodePort} and retries every few seconds`);
        this.scheduleSync();
      },
    });
  }

  async run(): Promise<void> {
    const { log, cluster } = this.opts;
    log.info(`forwarder of cluster "${cluster}" started (pid ${process.pid})`);
    while (!this.stopping) {
      if (!existsSync(this.files.dir)) {
        await this.shutdown(`the state folder ${this.files.dir} is gone (cluster deleted)`);
        break;
      }
      if (!(await this.ownsPidFile())) {
        await this.shutdown('another forwarder took over this cluster');
        break;
      }
      try {
        await this.follow(await this.opts.locate());
      } catch (err) {
        this.fail(`checking the cluster: ${(err as Error).message}`);
      }
      await this.sleep(this.opts.checkMs ?? 3000);
    }
  }

  /** Starts, keeps or ends the API session for the control plane's current location. */
  private async follow(loc: ControlPlaneLocation): Promise<void> {
    if (loc.state === 'gone') return this.shutdown('the cluster has no nodes left (deleted)');
    if (loc.state !== 'running') {
      this.tunnelPort = undefined;
      if (this.session) {
        this.opts.log.info(loc.state === 'stopped' ? 'the control plane stopped; waiting for it' : 'the control plane publishes no port tunnel');
        await this.endSession();
      }
      await this.writeStatus();
      return;
    }
    this.tunnelPort = loc.tunnelPort;
    if (this.session?.apiPort !== loc.apiPort) {
      await this.endSession();
      this.pki ??= await loadPki(this.opts.pkiDir);
      const client = new RestClient({ server: `https://127.0.0.1:${loc.apiPort}`, ca: this.pki.ca.cert, cert: this.pki.admin.cert, key: this.pki.admin.key, userAgent: 'kubelab-forwarder' });
      const informer = new Informer<ServiceObject>(client, SERVICES, { log: this.opts.log });
      informer.addHandler({ onAdd: () => this.scheduleSync(), onUpdate: () => this.scheduleSync(), onDelete: () => this.scheduleSync() });
      const events = new EventRecorder(client, { component: 'kubelab-forwarder', host: 'host' }, { log: (l) => this.opts.log.warn(l) });
      this.session = { apiPort: loc.apiPort, client, informer, events };
      informer.start();
      this.opts.log.info(`following Services through the apiserver at 127.0.0.1:${loc.apiPort}; tunnel at 127.0.0.1:${loc.tunnelPort}`);
    }
    this.scheduleSync();
  }

  private async endSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    await s.informer.stop();
    s.client.close();
  }

  private scheduleSync(): void {
    if (this.syncTimer || this.stopping) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.sync().catch((err: Error) => this.fail(`sync: ${err.message}`));
    }, 20);
  }

  /** Listeners to the plan, then status file, LoadBalancer ingress and conflict Events. */
  private async sync(): Promise<void> {
    const s = this.session;
    if (!s || !s.informer.hasSynced() || this.stopping) return void (await this.writeStatus());
    const services = s.informer.list();
    const { listeners, conflicts } = desiredListeners(services);
    await this.forwarder.update(listeners);
    this.conflicts = conflicts;
    for (const c of conflicts) this.warn(c.service, c.hostPort, 'HostPortConflict', c.reason);
    await this.writeStatus();
    await this.updateIngress(s, services, listeners);
  }

  private async updateIngress(s: Session, services: Service[], listeners: ReadonlyMap<number, HostListener>): Promise<void> {
    const bound = this.forwarder.bound();
    for (const svc of services) {
      const want = desiredIngress(svc, bound, listeners);
      if (want === undefined || !ingressDiffers(svc, want)) continue;
      await setIngress(s.client, svc, want).catch((err: Error) => this.fail(`updating the load-balancer status of ${serviceKey(svc)}: ${err.message}`));
    }
  }

  /** Records a Warning Event on the Service once per distinct problem. */
  private warn(service: string, hostPort: number, reason: string, message: string): void {
    const key = `${service}\0${hostPort}\0${message}`;
    const s = this.session;
    const svc = s?.informer.get(service);
    if (!s || !svc || this.warned.has(key)) return;
    this.warned.add(key);
    s.events.event(svc, SERVICE_KIND, 'Warning', reason, message);
  }

  /**
   * A tunnel to `nodePort`. A node port that refuses may be one the proxy has not programmed yet
   * (the forwarder can see a new Service first): refusals are retried for up to 2 s.
   */
  private async dial(nodePort: number) {
    for (const began = Date.now(); ; ) {
      const port = this.tunnelPort;
      if (!port || !this.pki) throw new Error('the cluster is not running');
      try {
        return await openTunnel({ host: '127.0.0.1', port, ca: this.pki.ca.cert, cert: this.pki.admin.cert, key: this.pki.admin.key }, nodePort);
      } catch (err) {
        if (!(err instanceof TunnelError && /ECONNREFUSED/.test(err.message)) || Date.now() - began > 2000) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private fail(message: string): void {
    this.lastError = { message, at: new Date().toISOString() };
    this.opts.log.warn(message);
  }

  private async writeStatus(): Promise<void> {
    if (!existsSync(this.files.dir)) return;
    const snap = this.forwarder.snapshot();
    const failed = [...snap.failed, ...this.conflicts.map((c) => ({ hostPort: c.hostPort, service: c.service, error: c.reason, since: this.startedAt }))];
    const status: ForwarderStatus = {
      pid: process.pid,
      cluster: this.opts.cluster,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      watching: !!this.session?.informer.hasSynced(),
      forwarded: snap.forwarded,
      failed,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
    await writeStatus(this.files.statusFile, status).catch((err: Error) => this.opts.log.warn(`cannot write ${this.files.statusFile}: ${err.message}`));
  }

  private async ownsPidFile(): Promise<boolean> {
    const text = await readFile(this.files.pidFile, 'utf8').catch(() => undefined);
    // No pidfile yet: the launcher writes it right after spawning us.
    return text === undefined || Number(text.trim()) === process.pid;
  }

  /** Stops listening, withdraws the ingress it set (best effort), removes its files. */
  async shutdown(why: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.syncTimer);
    this.opts.log.info(`forwarder stopping: ${why}`);
    this.forwarder.close();
    const s = this.session;
    if (s?.informer.hasSynced()) {
      const mine = s.informer.list().filter((svc) => (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === '127.0.0.1') && desiredIngress(svc, new Set(), new Map()) !== undefined);
      await Promise.race([Promise.all(mine.map((svc) => setIngress(s.client, svc, []).catch(() => undefined))), new Promise((r) => setTimeout(r, 3000))]);
    }
    await this.endSession();
    if (await this.ownsPidFile()) {
      await rm(this.files.pidFile, { force: true });
      await rm(this.files.statusFile, { force: true });
    }
    this.wake?.();
    this.opts.log.info('forwarder stopped');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(t), resolve());
    });
  }
}

/** Writes a Service's load-balancer ingress through its status subresource (empty: none). */
function setIngress(client: RestClient, svc: Service, ingress: Array<{ ip: string; ipMode: string }>): Promise<unknown> {
  const path = `/api/v1/namespaces/${encodeURIComponent(svc.metadata.namespace || 'default')}/services/${encodeURIComponent(svc.metadata.name)}/status`;
  return client.patch(path, { status: { loadBalancer: { ingress: ingress.length ? ingress : null } } }, 'merge');
}
