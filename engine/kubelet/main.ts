// The node agent process (our kubelet), one per node, started and restarted by the node's
// supervisor: registers the Node, heartbeats through its Lease, runs the pods bound to the node on
// the nested dockerd and reports their status; reconciles to what Docker holds after any restart.
import { readFile, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { ApiObject } from '../api/resource-type.js';
import { EventRecorder } from '../client/event-recorder.js';
import { SharedInformers } from '../client/informer.js';
import { runController } from '../client/controller.js';
import { nodeApiConfig } from '../client/node-credentials.js';
import { RestClient } from '../client/rest-client.js';
import { WorkQueue } from '../client/work-queue.js';
import { createLogger } from '../log/logger.js';
import { CommandShell } from '../network/command.js';
import { NODE_ENDPOINT_PORT, PKI_DIR } from '../supervisor/contract.js';
import { COMPONENTS, mirrorPodName } from '../supervisor/static-pods.js';
import { DockerApi } from './docker-api.js';
import type { ConfigSource } from './env.js';
import { PeerImages } from './peer-images.js';
import { startServiceProxy } from '../proxy/main.js';
import { PodNetwork } from './pod-network.js';
import { nodeDnsRelayAddress, nodeResolverForPods, parseResolvConf, type ServiceInfo } from './cluster-network.js';
import { ensureBusyboxImage, ensurePauseImage } from './builtin-images.js';
import { CONTAINER_KIND, MANAGED, POD_IP, POD_UID } from './labels.js';
import { LEASE_RENEW_MS, machineFacts, nodeStatus, registerNode, renewLease, RESERVED_MEMORY, type NodeIdentityFacts } from './node-status.js';
import { createNodeEndpoint } from './node-endpoint.js';
import { ownCgroupCounters } from './cgroup-usage.js';
import { ResourceStats } from './resource-stats.js';
import { PodSync } from './pod-sync.js';
import { isMirrorPod, type Pod } from './pod-types.js';
import { stableJson } from '../api/stable-json.js';
import { PodVolumes, type TokenSource } from './volumes.js';
import { apiClaimSource } from './claim-volumes.js';
import { startLocalVolumeDeleter } from './local-volumes.js';

/** How often the Node's status is written (its Lease is renewed every LEASE_RENEW_MS). */
const STATUS_EVERY_MS = 20_000;

/** Where the agent's command shell keeps each job's command line, input and output. */
const COMMAND_JOBS_DIR = '/run/kubelab/commands';

/** The node's identity from the environment the host gave its container. */
function identity(env: NodeJS.ProcessEnv): { name: string; ip: string; podCIDR: string; controlPlane: boolean } {
  const { KUBELAB_NODE_NAME: name, KUBELAB_NODE_IP: ip, KUBELAB_POD_CIDR: podCIDR, KUBELAB_ROLE: role } = env;
  if (!name || !ip || !podCIDR || !role) throw new Error('KUBELAB_NODE_NAME, KUBELAB_NODE_IP, KUBELAB_POD_CIDR and KUBELAB_ROLE must be set');
  return { name, ip, podCIDR, controlPlane: role === 'control-plane' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` every second until it succeeds, saying why now and then. */
async function retry<T>(what: string, fn: () => Promise<T>, say: (l: string) => void): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i % 10 === 0) say(`${what}: ${(err as Error).message}; retrying`);
      await sleep(1000);
    }
  }
}

/** Runs the node agent until the process is stopped. */
export async function runNodeAgent(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const say = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const log = createLogger((level, m) => say(`${level}: ${m}`));
  const me = identity(env);
  const read = (f: string) => readFile(`${PKI_DIR}/${f}`, 'utf8');
  const api = await nodeApiConfig(me.controlPlane, `kubelet/${me.name}`);
  const client = new RestClient(api.config);
  const { ca } = api.config;
  const docker = new DockerApi();
  await retry('waiting for the nested dockerd', () => docker.ping(), say);
  const version = await retry('asking dockerd its version', () => docker.version(), say);
  await retry('importing the built-in images', async () => {
    await ensurePauseImage(docker);
    await ensureBusyboxImage(docker);
  }, say);
  const id: NodeIdentityFacts = { ...me, taintControlPlane: api.peers > 1 };
  const nodeUid = await retry('registering the node', () => registerNode(client, id), say);
  say(`node agent on ${me.name}: registered with the apiserver at ${api.config.server}`);

  // Heartbeats: the Lease often, the status less often (and at once on start).
  let facts = await machineFacts(version.Version, me.name);
  let runtimeUp = true;
  let previous: unknown;
  const writeStatus = async () => {
    runtimeUp = await docker.ping().then(() => true, () => false);
    facts = await machineFacts(version.Version, me.name);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = nodeStatus(id, facts, runtimeUp, previous as never, now);
    await client.patch(`/api/v1/nodes/${encodeURIComponent(me.name)}/status`, { status }, 'merge');
    previous = status.conditions;
  };
  await retry('writing the node status', writeStatus, say);
  setInterval(() => void writeStatus().catch((err: Error) => say(`node status: ${err.message}`)), STATUS_EVERY_MS);
  const lease = () => renewLease(client, me.name, nodeUid).catch((err: Error) => say(`lease: ${err.message}`));
  await lease();
  setInterval(() => void lease(), LEASE_RENEW_MS);

  // Pods bound to this node.
  const informers = new SharedInformers(client, { log });
  const pods = informers.for<ApiObject & Pod>({ group: '', version: 'v1', resource: 'pods', fieldSelector: `spec.nodeName=${me.name}` });
  pods.addIndex('uid', (p) => [p.metadata.uid ?? '']);
  // Services give pods their environment variables; the node's resolver is the base of pods' DNS.
  const services = informers.for<ApiObject & ServiceInfo>({ group: '', version: 'v1', resource: 'services' });
  const nodeDns = nodeResolverForPods(parseResolvConf(await readFile('/etc/resolv.conf', 'utf8').catch(() => '')), nodeDnsRelayAddress(me.podCIDR));
  const queue = new WorkQueue();
  const enqueue = (p: Pod) => {
    if (!isMirrorPod(p) && p.metadata.uid) queue.add(p.metadata.uid);
  };
  // The agent's own status writes come back as updates: only what it acts on wakes the pod up.
  const acted = (p: Pod) => stableJson([p.spec, p.metadata.deletionTimestamp ?? null, p.metadata.labels ?? null, p.metadata.annotations ?? null, p.status?.phase ?? null]);
  pods.addHandler({ onAdd: enqueue, onUpdate: (old, p) => acted(old) !== acted(p) && enqueue(p), onDelete: enqueue });

  const config = apiConfigSource(client);
  const tokens: TokenSource = async (pod, audience, expirationSeconds) => {
    const ns = encodeURIComponent(pod.metadata.namespace ?? 'default');
    const sa = encodeURIComponent(pod.spec.serviceAccountName || 'default');
    const res = await client.create<{ status: { token: string; expirationTimestamp: string } }>(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: audience ? [audience] : [], expirationSeconds, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid } },
    });
    return { token: res.status.token, expiresAt: Date.parse(res.status.expirationTimestamp) };
  };
  const nodeFacts = { allocatableMilliCpu: facts.cpus * 1000, allocatableMemory: Math.max(0, facts.memoryBytes - RESERVED_MEMORY) };
  const events = new EventRecorder(client, { component: 'kubelet', host: me.name }, { log: say });
  // The agent's commands (mount, the pod network's, the Service rules') go through one shell: a fork of the agent costs far more.
  await rm(COMMAND_JOBS_DIR, { recursive: true, force: true }); // files of an earlier agent's jobs
  const shell = new CommandShell(COMMAND_JOBS_DIR);
  // Pod addresses: those of sandboxes that outlived an agent restart stay theirs.
  const network = new PodNetwork(me.podCIDR, 'docker0', shell.run);
  for (const c of await retry('listing pod sandboxes', () => docker.listContainers([`${MANAGED}=true`, `${CONTAINER_KIND}=sandbox`], false), say)) {
    if (c.Labels[POD_IP] && c.Labels[POD_UID]) network.addresses.hold(c.Labels[POD_UID], c.Labels[POD_IP]);
  }
  // ... and so do those of pods whose namespaces the agent pinned.
  for (const uid of await network.pinnedUids()) {
    const ip = await network.pinnedIp(uid);
    if (ip) network.addresses.hold(uid, ip);
  }
  const sync = new PodSync({
    docker,
    client,
    events,
    config,
    volumes: new PodVolumes(config, tokens, nodeFacts, apiClaimSource(client, me.name), shell.run),
    node: { name: me.name, ip: me.ip, facts: nodeFacts, dns: nodeDns },
    services: () => services.list(),
    peerImages: new PeerImages(docker, me.name, say),
    network,
    pod: (uid) => pods.byIndex('uid', uid).find((p) => !isMirrorPod(p)),
    requeue: (uid) => queue.add(uid),
    log: say,
  });
  // The node's Service rules (our kube-proxy) follow the same informers.
  startServiceProxy(informers, me.name, say, shell.run);
  // Released local-path volumes on this node (reclaimPolicy Delete): their directories, then the objects.
  startLocalVolumeDeleter({ client, informers, node: me.name, events, log });
  pods.start();
  services.start();
  await Promise.all([pods.waitForSync(), services.waitForSync()]);
  say(`node agent on ${me.name}: ${pods.list().length} pod(s) bound here`);

  // Containers and pinned namespaces whose pod is gone (deleted while the agent was down) are swept; Docker events wake pods up.
  const sweep = async () => {
    const managed = await docker.listContainers([`${MANAGED}=true`]);
    const uids = new Set([...managed.map((c) => c.Labels[POD_UID] ?? ''), ...(await network.pinnedUids())]);
    for (const uid of uids) if (uid && pods.byIndex('uid', uid).length === 0) queue.add(uid);
  };
  await sweep().catch((err: Error) => say(`sweep: ${err.message}`));
  setInterval(() => void sweep().catch((err: Error) => say(`sweep: ${err.message}`)), 30_000);
  followDockerEvents(docker, (uid) => queue.add(uid), () => {
    for (const p of pods.list()) enqueue(p);
    void sweep().catch(() => undefined);
  }, say);

  // The endpoint the apiserver proxies logs, exec, attach and port-forward to; on the control plane
  // also the logs of the static pods (the processes the supervisor runs, each logging to a file).
  const staticLog = (ns: string, pod: string, container: string) => {
    if (!me.controlPlane || ns !== 'kube-system') return undefined;
    const proc = Object.keys(COMPONENTS).find((p) => mirrorPodName(p, me.name) === pod);
    return proc && COMPONENTS[proc] === container ? { file: `/var/log/kubelab/${proc}.log` } : undefined;
  };
  const [servingKey, servingCert] = await Promise.all([read('node-serving.key'), read('node-serving.crt')]);
  // Static pods' processes (containerID kubelab://NAME-PID in their mirror pods' status) are measured from /proc.
  const staticProcesses = () =>
    pods.list().filter(isMirrorPod).flatMap((p) =>
      ((p.status as { containerStatuses?: Array<{ name: string; containerID?: string }> } | undefined)?.containerStatuses ?? []).flatMap((c) => {
        const pid = Number(/-(\d+)$/.exec(c.containerID ?? '')?.[1]);
        return pid ? [{ pod: { namespace: p.metadata.namespace ?? '', name: p.metadata.name, uid: String(p.metadata.uid) }, container: c.name, pid }] : [];
      }),
    );
  const stats = new ResourceStats({ node: me.name, docker, own: () => ownCgroupCounters(), processes: staticProcesses, log: say });
  stats.start();
  createNodeEndpoint({ node: me.name, tls: { key: servingKey, cert: servingCert, ca }, docker, staticLog, stats })
    .on('error', (err) => say(`node endpoint: ${err.message}`))
    .listen(NODE_ENDPOINT_PORT, '0.0.0.0', () => say(`node endpoint listening on :${NODE_ENDPOINT_PORT}`));

  const stop = () => {
    sync.stop();
    queue.shutDown();
  };
  process.on('SIGTERM', () => {
    // Pods keep running while the agent is away; it finds them again when it comes back.
    stop();
    process.exit(0);
  });
  await runController({ name: 'pods', queue, workers: 16, log, reconcile: async (uid) => ({ requeueAfter: await sync.sync(uid) }) });
}

/** ConfigMaps and Secrets read from the apiserver (Secret values decoded). */
function apiConfigSource(client: RestClient): ConfigSource {
  const get = async (kind: 'configmaps' | 'secrets', ns: string, name: string) => {
    try {
      return await client.get<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/${kind}/${encodeURIComponent(name)}`);
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  };
  return {
    async configMap(ns, name) {
      const cm = await get('configmaps', ns, name);
      if (!cm) return undefined;
      const binary = Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('latin1')]));
      return { ...binary, ...(cm.data ?? {}) };
    },
    async secret(ns, name) {
      const s = await get('secrets', ns, name);
      if (!s) return undefined;
      return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    },
  };
}

/** Streams Docker's container events for managed containers; calls `onPod(uid)` for each and `onReconnect` after gaps. */
function followDockerEvents(docker: DockerApi, onPod: (uid: string) => void, onReconnect: () => void, say: (l: string) => void): void {
  const connect = async () => {
    let res: IncomingMessage;
    try {
      res = await docker.stream({ path: '/events', query: { filters: { type: ['container'], label: [`${MANAGED}=true`], event: ['die', 'oom', 'destroy'] } } });
    } catch (err) {
      say(`docker events: ${(err as Error).message}; retrying`);
      setTimeout(() => void connect(), 2000);
      return;
    }
    onReconnect();
    let buf = '';
    res.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const ev = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
          const uid = ev.Actor?.Attributes?.[POD_UID];
          if (uid) onPod(uid);
        } catch {
          // partial or malformed line: ignore
        }
      }
    });
    res.on('close', () => setTimeout(() => void connect(), 1000));
  };
  void connect();
}
