// Host access to a cluster's NodePort and LoadBalancer Services, as the CLI and the desktop app
// use it: start and stop the cluster's forwarder, read its state, list a Service's host URLs.
import { existsSync } from 'node:fs';
import { loadPki } from '../certs/cluster-pki.js';
import { ApiRequestError, RestClient } from '../client/rest-client.js';
import type { ClusterState } from '../cluster/state.js';
import type { NodeProvider } from '../docker/provider.js';
import { KubelabError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { runForwarderDaemon } from './daemon.js';
import { controlPlaneLocation, NO_TUNNEL_MESSAGE, type ControlPlaneLocation } from './location.js';
import type { Service } from './plan.js';
import { runningForwarder, spawnForwarder, stopForwarder, type ForwarderLaunch } from './process-control.js';
import { NoHostPortError, serviceUrls, type ServiceUrl } from './service-urls.js';
import { forwarderFiles, readStatus, type ForwarderFiles, type ForwarderStatus } from './status-file.js';

/** A cluster's forwarder as `kubelab status` and the app show it. */
export interface ForwarderReport {
  running: boolean;
  pid?: number;
  /** The forwarder's own status file, while it runs. */
  status?: ForwarderStatus;
  files: ForwarderFiles;
}

/** What host access needs. */
export interface HostAccessDeps {
  home: string;
  provider: NodeProvider;
  state: ClusterState;
  log: Logger;
  /** How to launch `kubelab _forwarder` (the CLI bundle under this Node, or under Electron as Node). */
  launch: () => ForwarderLaunch;
}

/** Start/stop/status of the per-cluster forwarder, and Service URLs on the host. */
export class HostAccess {
  constructor(private readonly deps: HostAccessDeps) {}

  /** Starts the cluster's forwarder unless it runs; throws when the cluster is stopped or predates host access. */
  async start(cluster: string): Promise<{ pid: number; started: boolean }> {
    const loc = await this.locate(cluster);
    requireTunnel(cluster, loc);
    const launch = this.deps.launch();
    const entry = launch.args[0];
    if (entry && !existsSync(entry)) {
      throw new KubelabError(`cannot start the host port forwarder: ${entry} is missing`, { hint: 'build kubelab with `npm run build`' });
    }
    return spawnForwarder(this.deps.home, cluster, launch);
  }

  /** Stops the cluster's forwarder; returns whether one was running. */
  stop(cluster: string): Promise<boolean> {
    return stopForwarder(this.deps.home, cluster);
  }

  /** Whether the cluster's forwarder runs, and what it reports. */
  async status(cluster: string): Promise<ForwarderReport> {
    const files = forwarderFiles(this.deps.home, cluster);
    const pid = await runningForwarder(this.deps.home, cluster);
    if (!pid) return { running: false, files };
    const status = await readStatus(files.statusFile);
    return { running: true, pid, files, ...(status?.pid === pid ? { status } : {}) };
  }

  /** The host URLs of Service `namespace/name`; clear errors for a stopped cluster, an unknown Service or one without node ports. */
  async serviceUrls(cluster: string, namespace: string, name: string): Promise<ServiceUrl[]> {
    const loc = await this.locate(cluster);
    requireTunnel(cluster, loc);
    const pki = await loadPki(this.deps.state.pkiDir(cluster)).catch((err: unknown) => {
      throw new KubelabError(`the certificates of cluster "${cluster}" are missing`, { hint: `recreate it with \`kubelab delete ${cluster}\` and \`kubelab start --name ${cluster}\``, cause: err });
    });
    const client = new RestClient({ server: `https://127.0.0.1:${loc.apiPort}`, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, userAgent: 'kubelab' });
    try {
      const svc = await client.get<Service>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`);
      return serviceUrls(svc);
    } catch (err) {
      if (err instanceof NoHostPortError) throw new KubelabError(err.message, { hint: err.hint });
      if (err instanceof ApiRequestError && err.code === 404) {
        throw new KubelabError(`service "${name}" not found in namespace "${namespace}"`, { hint: `list the services with \`kubectl get services -n ${namespace}\`` });
      }
      if (err instanceof ApiRequestError && err.code === 0) {
        throw new KubelabError(`the API server of cluster "${cluster}" does not answer: ${err.message}`, { hint: `check the cluster with \`kubelab status ${cluster}\``, cause: err });
      }
      throw err;
    } finally {
      client.close();
    }
  }

  /** Runs the forwarder in this process (the hidden `kubelab _forwarder` command); resolves when it ends. */
  runDaemon(cluster: string, log: Logger): Promise<void> {
    return runForwarderDaemon({
      home: this.deps.home,
      cluster,
      pkiDir: this.deps.state.pkiDir(cluster),
      log,
      locate: async () => controlPlaneLocation(await this.deps.provider.listNodes(cluster)),
    });
  }

  private async locate(cluster: string): Promise<ControlPlaneLocation> {
    await this.deps.provider.ping();
    return controlPlaneLocation(await this.deps.provider.listNodes(cluster));
  }
}

function requireTunnel(cluster: string, loc: ControlPlaneLocation): asserts loc is Extract<ControlPlaneLocation, { state: 'running' }> {
  if (loc.state === 'gone') throw new KubelabError(`cluster "${cluster}" does not exist`, { hint: 'see the clusters with `kubelab list`; create one with `kubelab start`' });
  if (loc.state === 'stopped') throw new KubelabError(`cluster "${cluster}" is not running`, { hint: `start it with \`kubelab start --name ${cluster}\`` });
  if (loc.state === 'no-tunnel') {
    throw new KubelabError(`cluster "${cluster}" was created by an older kubelab: ${NO_TUNNEL_MESSAGE}`, {
      hint: `recreate it (\`kubelab delete ${cluster}\`, then \`kubelab start --name ${cluster}\`), or reach Services with \`kubectl port-forward\``,
    });
  }
}
