// The node agent's reconciler for one pod (keyed by uid): brings the nested runtime in line with
// the pod spec — sandbox, volumes, init containers in order, containers with restart back-off and
// probes — or tears it down gracefully, then reports the pod's status when it changed.
import type { EventRecorder } from '../client/event-recorder.js';
import type { RestClient } from '../client/rest-client.js';
import { writeFile } from 'node:fs/promises';
import { containerConfig, needsSandboxContainer, PAUSE_IMAGE, sandboxConfig, specHash } from './container-config.js';
import { containerMarker } from './pod-runtime.js';
import { DockerApiError, type ContainerSummary, type DockerApi } from './docker-api.js';
import { podDns, serviceEnv, type DnsSettings, type ServiceInfo } from './cluster-network.js';
import { commandLine, containerEnv, ContainerConfigError, type ConfigSource, type NodeFacts } from './env.js';
import { containerName, SANDBOX_NAME, podFilter } from './labels.js';
import { ensurePauseImage, ensureSystemImage, forgetImage } from './builtin-images.js';
import { RecordReader, type Attempt, type PodRecords } from './pod-records.js';
import { podStatus, shouldRestart, type ContainerView, type PodView } from './pod-status.js';
import { podKey, type Container, type Handler, type Pod } from './pod-types.js';
import { ContainerProbes, resolvePort, type ProbeKind } from './probes.js';
import { stableJson } from '../api/stable-json.js';
import { PodVolumes, VolumeError } from './volumes.js';
import type { PodNetwork } from './pod-network.js';
import { podFileMounts, writePodEtcFiles } from './pod-etc-files.js';

/** Back-off of restarts (CrashLoopBackOff) and pulls (ImagePullBackOff): 10 s doubling to 5 min. */
const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** How often a pod's volumes are refreshed from their sources (ConfigMap and Secret updates). */
const VOLUME_REFRESH_MS = 60_000;
/** Resync period of a pod that needs nothing (catches drift, e.g. a container removed by hand). */
const RESYNC_MS = 30_000;

/** What the reconciler needs from the agent. */
export interface PodSyncDeps {
  docker: DockerApi;
  client: RestClient;
  events: EventRecorder;
  config: ConfigSource;
  volumes: PodVolumes;
  node: { name: string; ip: string; facts: NodeFacts; dns: DnsSettings };
  /** Pod addresses and the wiring of sandboxes to the node's pod bridge. */
  network: PodNetwork;
  /** Copies images other nodes have (absent in tests that run without peers). */
  peerImages?: { fetch(image: string): Promise<string | undefined> };
  /** The Services pods' environments are made from (every namespace's; see serviceEnv). */
  services(): ServiceInfo[];
  /** The pod with this uid as the informer has it (undefined once it is gone). */
  pod(uid: string): Pod | undefined;
  /** Asks for another sync of the pod soon (probe results, kills). */
  requeue(uid: string): void;
  log(line: string): void;
}

/**
 * A pod's namespaces: its running sandbox container (`id`), or none when the agent pinned them;
 * `wired` when the agent wired its network and writes its /etc files (see pod-network.ts).
 */
interface Sandbox {
  id?: string;
  ip: string;
  recreated: boolean;
  wired: boolean;
}

interface Backoff {
  delayMs: number;
}

/** Per-pod memory of the agent (lost on restart; everything else is read back from Docker). */
interface PodMemory {
  waiting: Map<string, { reason: string; message?: string }>;
  restartBackoff: Map<string, Backoff>;
  pullBackoff: Map<string, { delayMs: number; until: number }>;
  volumesAt: number;
  lastStatus?: string;
  lastWrittenVersion?: number;
}

const eventTarget = (pod: Pod, container?: string) => ({
  kind: 'Pod',
  namespace: pod.metadata.namespace,
  name: pod.metadata.name,
  uid: pod.metadata.uid,
  resourceVersion: pod.metadata.resourceVersion,
  fieldPath: container ? `spec.containers{${container}}` : undefined,
});

/** Pull policy with the apiserver's default (Always for :latest or untagged images). */
export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop() ?? '').split(':')[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Runs pods on the node: `sync(uid)` is the reconcile function of the agent's work queue. */
export class PodSync {
  private readonly memory = new Map<string, PodMemory>();
  private readonly probes = new Map<string, ContainerProbes>();
  private readonly records: RecordReader;

  constructor(private readonly d: PodSyncDeps) {
    this.records = new RecordReader(d.docker);
  }

  private mem(uid: string): PodMemory {
    let m = this.memory.get(uid);
    if (!m) {
      m = { waiting: new Map(), restartBackoff: new Map(), pullBackoff: new Map(), volumesAt: 0 };
      this.memory.set(uid, m);
    }
    return m;
  }

  /** Reconciles one pod; resolves with when to look at it again (ms), if ever. */
  async sync(uid: string): Promise<number | undefined> {
    const summaries = await this.d.docker.listContainers(podFilter(uid));
    const pod = this.d.pod(uid);
    if (!pod) {
      await this.remove(uid, summaries);
      return undefined;
    }
    const records = await this.records.read(summaries);
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod, records);
      return undefined;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      await this.stopAll(pod, records, 0);
      // A finished pod keeps its object (and its IP in status) but no longer its address or namespaces on the node.
      await this.d.network.unpin(uid);
      this.d.network.addresses.release(uid);
      return undefined;
    }
    return this.run(pod, records);
  }

  private async run(pod: Pod, records: PodRecords): Promise<number | undefined> {
    const uid = pod.metadata.uid!;
    const m = this.mem(uid);
    const timers: number[] = [RESYNC_MS];
    const view: PodView = { sandboxReady: false, hostIP: this.d.node.ip, init: new Map(), app: new Map() };

    const deadline = pod.spec.activeDeadlineSeconds;
    const startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : Date.now();
    if (deadline !== undefined && Date.now() - startTime > deadline * 1000) {
      await this.stopAll(pod, records, 0);
      view.failed = { reason: 'DeadlineExceeded', message: `Pod was active on the node longer than the specified deadline` };
      this.d.events.emit(eventTarget(pod), 'Normal', 'DeadlineExceeded', view.failed.message);
      await this.report(pod, await this.records.read(await this.d.docker.listContainers(podFilter(uid))), view);
      return undefined;
    }
    if (deadline !== undefined) timers.push(startTime + deadline * 1000 - Date.now() + 100);

    // Sandbox: the pod's network namespace and IP.
    // The sandbox (the pod's network namespace and IP) and the volumes are independent: make them at once.
    // Volumes are refreshed now and then so ConfigMap and Secret changes reach running pods.
    const volumesDue = Date.now() - m.volumesAt > VOLUME_REFRESH_MS;
    const [sandbox, volumeError] = await Promise.all([
      this.ensureSandbox(pod, records),
      volumesDue
        ? this.d.volumes.setUp(pod).then(
            () => {
              m.volumesAt = Date.now();
              return undefined;
            },
            (err: unknown) => {
              if (!(err instanceof VolumeError)) throw err;
              return err;
            },
          )
        : undefined,
    ]);
    if (!sandbox) {
      await this.report(pod, records, view);
      return 2000;
    }
    view.sandboxReady = true;
    view.podIP = sandbox.ip;
    if (volumeError) {
      this.d.events.emit(eventTarget(pod), 'Warning', 'FailedMount', volumeError.message);
      if (m.volumesAt === 0) {
        await this.report(pod, records, view);
        return 5000;
      }
    }
    if (sandbox.recreated) records = await this.records.read(await this.d.docker.listContainers(podFilter(uid)));
    // What kubectl shows while an image is fetched (ContainerCreating or PodInitializing, with the
    // pod's IP), written before the fetch: a pull can take minutes, and "Pending" would suggest the
    // pod has no node. A failed write is logged by report and waits for the next.
    const interim = () => this.report(pod, records, view).catch(() => undefined);

    // Init containers, one at a time, in order.
    let initDone = true;
    for (const c of pod.spec.initContainers ?? []) {
      const attempts = records.byName.get(c.name) ?? [];
      const latest = attempts[0];
      const v = this.view(uid, c, attempts);
      view.init.set(c.name, v);
      if (latest && !latest.record.running && latest.record.exitCode === 0) continue;
      initDone = false;
      if (latest?.record.running) break;
      if (latest && pod.spec.restartPolicy === 'Never') break;
      const wait = latest ? this.restartWait(uid, c.name, latest) : 0;
      if (wait > 0) {
        this.setCrashLoop(pod, c, uid);
        timers.push(wait);
        break;
      }
      await this.start(pod, c, 'init', latest ? latest.record.attempt + 1 : 0, sandbox, timers, interim);
      break;
    }

    if (initDone) {
      const policy = pod.spec.restartPolicy ?? 'Always';
      for (const c of pod.spec.containers) {
        const attempts = records.byName.get(c.name) ?? [];
        const latest = attempts[0];
        if (latest?.record.running) {
          if (latest.specHash && latest.specHash !== specHash(c)) {
            this.d.events.emit(eventTarget(pod, c.name), 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
            await this.stopContainer(pod, c, latest, this.grace(pod));
            this.mem(uid).restartBackoff.delete(c.name);
            timers.push(0);
          } else {
            this.ensureProbes(pod, c, latest, sandbox.ip);
          }
          continue;
        }
        if (latest && !shouldRestart(policy, latest.record.exitCode)) continue;
        const wait = latest ? this.restartWait(uid, c.name, latest) : 0;
        if (wait > 0) {
          this.setCrashLoop(pod, c, uid);
          timers.push(wait);
          continue;
        }
        await this.start(pod, c, 'app', latest ? latest.record.attempt + 1 : 0, sandbox, timers, interim);
      }
    }

    const fresh = await this.records.read(await this.d.docker.listContainers(podFilter(uid)));
    for (const c of pod.spec.initContainers ?? []) view.init.set(c.name, this.view(uid, c, fresh.byName.get(c.name) ?? []));
    for (const c of pod.spec.containers) view.app.set(c.name, this.view(uid, c, fresh.byName.get(c.name) ?? []));
    await this.report(pod, fresh, view);
    const positive = timers.filter((t) => t >= 0);
    return Math.max(0, Math.min(...positive));
  }

  /** The agent's view of one container from its attempts and memory. */
  private view(uid: string, c: Container, attempts: Attempt[]): ContainerView {
    const latest = attempts[0]?.record;
    const probes = latest?.running ? this.probes.get(latest.id) : undefined;
    const waiting = this.mem(uid).waiting.get(c.name);
    return {
      latest,
      previous: attempts[1]?.record,
      waiting: latest?.running ? undefined : waiting,
      ready: probes ? probes.ready : Boolean(latest?.running && !c.readinessProbe && !c.startupProbe),
      started: probes ? probes.started : Boolean(latest?.running && !c.startupProbe),
    };
  }

  private setWaiting(pod: Pod, c: Container, reason: string, message: string | undefined, backOffEvent = false): void {
    const m = this.mem(pod.metadata.uid!);
    const before = m.waiting.get(c.name);
    m.waiting.set(c.name, { reason, message });
    if (backOffEvent && before?.reason !== reason) {
      this.d.events.emit(eventTarget(pod, c.name), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
    }
  }

  /** Marks `c` waiting in CrashLoopBackOff for its current restart back-off (a BackOff event when it starts). */
  private setCrashLoop(pod: Pod, c: Container, uid: string): void {
    const seconds = Math.round(this.mem(uid).restartBackoff.get(c.name)!.delayMs / 1000);
    this.setWaiting(pod, c, 'CrashLoopBackOff', `back-off ${seconds}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})`, true);
  }

  /** Milliseconds until the exited container may be started again (0: now); grows the back-off when it says now. */
  private restartWait(uid: string, name: string, latest: Attempt): number {
    const m = this.mem(uid);
    const b = m.restartBackoff.get(name);
    const finished = latest.record.finishedAt ? Date.parse(latest.record.finishedAt) : Date.now();
    const started = latest.record.startedAt ? Date.parse(latest.record.startedAt) : finished;
    if (!b || finished - started > 2 * BACKOFF_MAX_MS) {
      // First restart (or after a long healthy run) is immediate; the next waits 10 s.
      m.restartBackoff.set(name, { delayMs: BACKOFF_START_MS });
      return 0;
    }
    const wait = finished + b.delayMs - Date.now();
    if (wait > 0) return wait;
    b.delayMs = Math.min(b.delayMs * 2, BACKOFF_MAX_MS);
    return 0;
  }

  private grace(pod: Pod): number {
    return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  /**
   * Makes sure the pod has its namespaces: pinned by the agent for most pods, a sandbox container
   * for those that need one (see needsSandboxContainer) and for pods whose sandbox an earlier agent
   * made. Returns them, or undefined when they could not be made.
   */
  private async ensureSandbox(pod: Pod, records: PodRecords): Promise<Sandbox | undefined> {
    const uid = pod.metadata.uid!;
    const sandboxes = records.byName.get(SANDBOX_NAME) ?? [];
    const current = sandboxes[0];
    if (current?.record.running) {
      if (pod.spec.hostNetwork) return { id: current.record.id, ip: this.d.node.ip, recreated: false, wired: false };
      // Sandboxes made before the agent wired them itself have their address from Docker.
      const labelled = RecordReader.sandboxIp(current.summary);
      if (labelled) this.d.network.addresses.hold(uid, labelled);
      const ip = labelled || RecordReader.dockerIp(await this.d.docker.inspectContainer(current.record.id));
      return { id: current.record.id, ip, recreated: false, wired: Boolean(labelled) };
    }
    const pinned = !needsSandboxContainer(pod);
    if (pinned) {
      const ip = await this.d.network.pinnedIp(uid);
      if (ip) {
        this.d.network.addresses.hold(uid, ip);
        return { ip, recreated: false, wired: true };
      }
    }
    // Namespaces lost (a node or runtime restart) while the pod has containers: they lost their network; start over.
    const lost = current !== undefined || (pinned && [...records.byName.keys()].some((n) => n !== SANDBOX_NAME));
    if (lost) {
      this.d.events.emit(eventTarget(pod), 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      for (const [name, attempts] of records.byName) {
        if (name === SANDBOX_NAME) continue;
        const running = attempts[0];
        if (running?.record.running) await this.d.docker.killContainer(running.record.id);
        this.mem(uid).restartBackoff.delete(name);
        // A pod that restarts runs its init containers again.
        if (attempts[0]?.kind === 'init') {
          for (const a of attempts) await this.d.docker.removeContainer(a.record.id);
          this.records.forget(attempts.map((a) => a.record.id));
        }
      }
      for (const s of sandboxes) await this.d.docker.removeContainer(s.record.id);
      this.records.forget(sandboxes.map((s) => s.record.id));
      // New namespaces get a new address: the old namespace may linger until its last process is gone.
      this.d.network.addresses.release(uid);
    }
    const dns = podDns(pod, this.d.node.dns);
    if (pinned) {
      try {
        const ip = this.d.network.addresses.allocate(uid);
        await writePodEtcFiles(pod, ip, dns);
        await this.d.network.pin(uid, ip);
        return { ip, recreated: lost, wired: true };
      } catch (err) {
        return this.sandboxFailed(pod, err);
      }
    }
    let id: string | undefined;
    try {
      await ensurePauseImage(this.d.docker);
      const attempt = current ? current.record.attempt + 1 : 0;
      const name = containerName({ namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid }, SANDBOX_NAME, attempt);
      if (pod.spec.hostNetwork) {
        id = await this.d.docker.createContainer(name, sandboxConfig(pod, attempt, { dns }));
        await this.d.docker.startContainer(id);
        return { id, ip: this.d.node.ip, recreated: lost, wired: false };
      }
      const ip = this.d.network.addresses.allocate(uid);
      await writePodEtcFiles(pod, ip, dns);
      id = await this.d.docker.createContainer(name, sandboxConfig(pod, attempt, { ip }));
      await this.d.docker.startContainer(id);
      const info = await this.d.docker.inspectContainer(id);
      await this.d.network.attach(info.State.Pid, ip, name);
      return { id, ip, recreated: lost, wired: true };
    } catch (err) {
      if (err instanceof DockerApiError && err.statusCode === 404) forgetImage(PAUSE_IMAGE);
      // Nothing half-made stays: a sandbox without its network goes (its namespace, and the veth with it).
      if (id) await this.d.docker.removeContainer(id).catch(() => undefined);
      return this.sandboxFailed(pod, err);
    }
  }

  /** The pod's namespaces could not be made: its address goes back and an event says why. */
  private sandboxFailed(pod: Pod, err: unknown): undefined {
    this.d.network.addresses.release(pod.metadata.uid!);
    this.d.events.emit(eventTarget(pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
    return undefined;
  }

  /**
   * Pulls the container's image when its policy says so; false (and a waiting reason) when it cannot
   * be had. `beforeFetch` runs before a copy from a peer node or a pull (it writes the pod's status).
   */
  private async ensureImage(pod: Pod, c: Container, timers: number[], beforeFetch: () => Promise<void>): Promise<boolean> {
    const uid = pod.metadata.uid!;
    const image = c.image ?? '';
    const policy = pullPolicy(c);
    const target = eventTarget(pod, c.name);
    // kubelab's own add-on image is made on the node from its own files, never pulled.
    const made = await ensureSystemImage(this.d.docker, image).catch((err: Error) => {
      this.d.log(`making ${image}: ${err.message}`);
      return false;
    });
    let present = made || (await this.d.docker.hasImage(image));
    if (!present && this.d.peerImages) {
      // Another node may have it (built there through docker-env): copying is no registry pull, so any policy allows it.
      await beforeFetch();
      const began = Date.now();
      const from = await this.d.peerImages.fetch(image).catch(() => undefined);
      if (from) {
        this.d.events.emit(target, 'Normal', 'Pulled', `Successfully copied image "${image}" from node ${from} in ${((Date.now() - began) / 1000).toFixed(3)}s`);
        present = true;
        if (policy !== 'Always') return true;
      }
    }
    if (policy === 'Never') {
      if (present) return true;
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.setWaiting(pod, c, 'ErrImageNeverPull', message);
      this.d.events.emit(target, 'Warning', 'ErrImageNeverPull', message);
      timers.push(BACKOFF_START_MS);
      return false;
    }
    if (present && policy === 'IfNotPresent') {
      this.d.events.emit(target, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return true;
    }
    const m = this.mem(uid);
    const b = m.pullBackoff.get(c.name);
    if (b && Date.now() < b.until) {
      this.setWaiting(pod, c, 'ImagePullBackOff', `Back-off pulling image "${image}"`);
      this.d.events.emit(target, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      timers.push(b.until - Date.now());
      return false;
    }
    this.d.events.emit(target, 'Normal', 'Pulling', `Pulling image "${image}"`);
    await beforeFetch();
    const began = Date.now();
    try {
      await this.d.docker.pullImage(image);
      m.pullBackoff.delete(c.name);
      this.d.events.emit(target, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${((Date.now() - began) / 1000).toFixed(3)}s`);
      return true;
    } catch (err) {
      const delayMs = b ? Math.min(b.delayMs * 2, BACKOFF_MAX_MS) : BACKOFF_START_MS;
      m.pullBackoff.set(c.name, { delayMs, until: Date.now() + delayMs });
      const message = `Failed to pull image "${image}": ${(err as Error).message}`;
      this.setWaiting(pod, c, 'ErrImagePull', message);
      this.d.events.emit(target, 'Warning', 'Failed', message);
      this.d.events.emit(target, 'Warning', 'Failed', 'Error: ErrImagePull');
      // Look again soon, so the wait shows as ImagePullBackOff (as kubelet's next sync shows it),
      // not as ErrImagePull until the next attempt.
      timers.push(Math.min(1000, delayMs));
      return false;
    }
  }

  /** Creates and starts attempt `attempt` of container `c`; failures become waiting reasons. */
  private async start(pod: Pod, c: Container, kind: 'init' | 'app', attempt: number, sandbox: Sandbox, timers: number[], beforeFetch: () => Promise<void>): Promise<void> {
    const uid = pod.metadata.uid!;
    const m = this.mem(uid);
    const target = eventTarget(pod, c.name);
    if (!(await this.ensureImage(pod, c, timers, beforeFetch))) return;
    let id: string;
    try {
      // The downward API gives the addresses the agent knows now: the apiserver's copy of the status
      // may not have them yet (kubelet resolves them from its sandbox the same way).
      const ips = { podIP: sandbox.ip, podIPs: [{ ip: sandbox.ip }], hostIP: this.d.node.ip, hostIPs: [{ ip: this.d.node.ip }] };
      const env = await containerEnv({ ...pod, status: { ...pod.status, ...ips } }, c, this.d.config, this.d.node.facts, serviceEnv(pod, this.d.services()));
      const mounts = [...(await this.d.volumes.mountsFor(pod, c, env)), ...(sandbox.wired ? podFileMounts(pod, c, !sandbox.id) : [])];
      const cmd = commandLine(c, env);
      id = await this.d.docker.createContainer(containerName({ namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid }, c.name, attempt), containerConfig(pod, { container: c, kind, attempt, env, ...cmd, mounts, sandboxId: sandbox.id }));
    } catch (err) {
      const reason = err instanceof ContainerConfigError || err instanceof VolumeError ? 'CreateContainerConfigError' : 'CreateContainerError';
      const message = (err as Error).message;
      this.setWaiting(pod, c, reason, message);
      this.d.events.emit(target, 'Warning', 'Failed', `Error: ${message}`);
      timers.push(BACKOFF_START_MS);
      return;
    }
    this.d.events.emit(target, 'Normal', 'Created', `Created container: ${c.name}`);
    await this.pruneAttempts(uid, c.name, attempt);
    try {
      // Its runtime puts the container into the pod's pinned namespaces by this marker (see pod-runtime.ts).
      if (!sandbox.id) await writeFile(containerMarker(uid, id), '');
      await this.d.docker.startContainer(id);
    } catch (err) {
      const message = (err as Error).message;
      this.setWaiting(pod, c, 'RunContainerError', message);
      this.d.events.emit(target, 'Warning', 'Failed', `Error: ${message}`);
      timers.push(0);
      return;
    }
    m.waiting.delete(c.name);
    this.d.events.emit(target, 'Normal', 'Started', `Started container ${c.name}`);
    if (c.lifecycle?.postStart) {
      const failure = await this.runHook(pod, c, id, c.lifecycle.postStart, 30);
      if (failure) {
        this.d.events.emit(target, 'Warning', 'FailedPostStartHook', failure);
        await this.d.docker.stopContainer(id, this.grace(pod));
      }
    }
  }

  /** Keeps the newest two attempts of a container (current and previous, for `logs --previous`). */
  private async pruneAttempts(uid: string, name: string, newest: number): Promise<void> {
    if (newest < 2) return;
    const summaries = await this.d.docker.listContainers(podFilter(uid));
    const old = summaries.filter((s) => s.Labels['io.kubernetes.container.name'] === name && Number(s.Labels['io.kubelab.restart-count'] ?? 0) < newest - 1);
    for (const s of old) await this.d.docker.removeContainer(s.Id);
    this.records.forget(old.map((s) => s.Id));
  }

  private ensureProbes(pod: Pod, c: Container, latest: Attempt, podIP: string): void {
    const id = latest.record.id;
    if (this.probes.has(id)) return;
    const uid = pod.metadata.uid!;
    const target = eventTarget(pod, c.name);
    this.probes.set(
      id,
      new ContainerProbes(c, { docker: this.d.docker, containerId: id, podIP }, {
        changed: () => this.d.requeue(uid),
        failed: (kind: ProbeKind, message: string) => this.d.events.emit(target, 'Warning', 'Unhealthy', `${kind} probe failed: ${message}`),
        kill: (kind: ProbeKind) => {
          this.dropProbes(id);
          this.d.events.emit(target, 'Normal', 'Killing', `Container ${c.name} failed ${kind.toLowerCase()} probe, will be restarted`);
          const current = this.d.pod(uid) ?? pod;
          void this.stopContainer(current, c, latest, this.grace(current)).finally(() => this.d.requeue(uid));
        },
      }),
    );
  }

  private dropProbes(id: string): void {
    this.probes.get(id)?.stop();
    this.probes.delete(id);
  }

  /** Runs a lifecycle hook; resolves with a failure message, or undefined when it succeeded. */
  private async runHook(pod: Pod, c: Container, containerId: string, h: Handler, timeoutSeconds: number): Promise<string | undefined> {
    try {
      if (h.exec?.command) {
        const exec = await this.d.docker.createExec(containerId, { Cmd: h.exec.command, AttachStdout: true, AttachStderr: true });
        const res = await this.d.docker.stream({ method: 'POST', path: `/exec/${exec}/start`, body: { Detach: false, Tty: false }, timeoutMs: timeoutSeconds * 1000 });
        for await (const _ of res) void _;
        const info = await this.d.docker.inspectExec(exec);
        return info.ExitCode === 0 ? undefined : `Exec lifecycle hook (${h.exec.command.join(' ')}) for Container "${c.name}" in Pod "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})" failed - error: command '${h.exec.command.join(' ')}' exited with ${info.ExitCode}`;
      }
      if (h.httpGet) {
        const port = resolvePort(c, h.httpGet.port);
        const host = h.httpGet.host || pod.status?.podIP || '127.0.0.1';
        const res = await fetch(`${h.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://${host}:${port}${h.httpGet.path ?? '/'}`, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
        return res.status < 400 ? undefined : `HTTP lifecycle hook (${h.httpGet.path ?? '/'}) for Container "${c.name}" failed - error: HTTP ${res.status}`;
      }
      if (h.sleep) {
        await new Promise((r) => setTimeout(r, Math.min(h.sleep!.seconds, timeoutSeconds) * 1000));
        return undefined;
      }
      return undefined;
    } catch (err) {
      return `lifecycle hook for Container "${c.name}" failed - error: ${(err as Error).message}`;
    }
  }

  /** Stops one container: preStop hook, then its stop signal, then SIGKILL after the grace period. */
  private async stopContainer(pod: Pod, c: Container | undefined, attempt: Attempt, graceSeconds: number): Promise<void> {
    this.dropProbes(attempt.record.id);
    const began = Date.now();
    if (c?.lifecycle?.preStop && graceSeconds > 0) {
      const failure = await this.runHook(pod, c, attempt.record.id, c.lifecycle.preStop, graceSeconds);
      if (failure) this.d.events.emit(eventTarget(pod, c.name), 'Warning', 'FailedPreStopHook', failure);
    }
    const left = Math.max(0, graceSeconds - (Date.now() - began) / 1000);
    await this.d.docker.stopContainer(attempt.record.id, Math.ceil(left));
  }

  /** Stops every running container of the pod (app containers in parallel, then the sandbox). */
  private async stopAll(pod: Pod, records: PodRecords, graceSeconds: number, announce = false): Promise<void> {
    const specs = new Map([...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => [c.name, c]));
    const jobs: Promise<void>[] = [];
    for (const [name, attempts] of records.byName) {
      if (name === SANDBOX_NAME) continue;
      const a = attempts[0];
      if (!a?.record.running) continue;
      if (announce) this.d.events.emit(eventTarget(pod, name), 'Normal', 'Killing', `Stopping container ${name}`);
      jobs.push(this.stopContainer(pod, specs.get(name), a, graceSeconds));
    }
    await Promise.all(jobs);
    for (const s of records.byName.get(SANDBOX_NAME) ?? []) if (s.record.running) await this.d.docker.killContainer(s.record.id);
  }

  /** A pod being deleted: stop it gracefully, report, then let the apiserver forget it. */
  private async terminate(pod: Pod, records: PodRecords): Promise<void> {
    await this.stopAll(pod, records, this.grace(pod), true);
    const uid = pod.metadata.uid!;
    const ns = encodeURIComponent(pod.metadata.namespace ?? 'default');
    try {
      await this.d.client.request('DELETE', `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) throw err;
    }
  }

  /** The pod is gone from the apiserver: remove its containers and its folder. */
  private async remove(uid: string, summaries: ContainerSummary[]): Promise<void> {
    for (const s of summaries) {
      this.dropProbes(s.Id);
      await this.d.docker.removeContainer(s.Id);
    }
    this.records.forget(summaries.map((s) => s.Id));
    await this.d.volumes.tearDown(uid);
    await this.d.network.unpin(uid);
    this.d.network.addresses.release(uid);
    this.memory.delete(uid);
  }

  /** Writes the pod's status when it differs from the last one written. */
  private async report(pod: Pod, records: PodRecords, view: PodView): Promise<void> {
    if (!view.init.size) for (const c of pod.spec.initContainers ?? []) view.init.set(c.name, this.view(pod.metadata.uid!, c, records.byName.get(c.name) ?? []));
    if (!view.app.size) for (const c of pod.spec.containers) view.app.set(c.name, this.view(pod.metadata.uid!, c, records.byName.get(c.name) ?? []));
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = podStatus(pod, view, now);
    const m = this.mem(pod.metadata.uid!);
    const text = stableJson(status);
    // Compare with the apiserver's copy (someone else may have changed it, e.g. the node
    // lifecycle controller), unless the informer has not yet seen our own last write.
    const informerBehind = m.lastWrittenVersion !== undefined && Number(pod.metadata.resourceVersion ?? 0) < m.lastWrittenVersion;
    if (text === (informerBehind ? m.lastStatus : stableJson(pod.status ?? {}))) return;
    try {
      const written = await this.d.client.patch<{ metadata?: { resourceVersion?: string } }>(`/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace ?? 'default')}/pods/${encodeURIComponent(pod.metadata.name)}/status`, { metadata: { uid: pod.metadata.uid }, status }, 'merge');
      m.lastStatus = text;
      m.lastWrittenVersion = Number(written.metadata?.resourceVersion ?? 0);
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404) return;
      this.d.log(`status of ${podKey(pod)} not written: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Uids of pods the agent holds anything for (memory or probes), for orphan sweeps. */
  knownUids(): string[] {
    return [...this.memory.keys()];
  }

  /** Stops every probe (agent shutdown). */
  stop(): void {
    for (const p of this.probes.values()) p.stop();
    this.probes.clear();
  }

  /** Whether a container Docker error means the engine is down (sync should back off quietly). */
  static engineDown(err: unknown): boolean {
    return err instanceof DockerApiError && err.statusCode === 0;
  }
}
