import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { isEngineUnreachable, KubelabError, wrapError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { networkName, volumeName, type NodeRole } from '../cluster/names.js';
import { pickNodeSubnet } from '../network/ipam.js';
import { ensureEngine, engineUnreachable } from './connect.js';
import { clusterFilter, LABEL } from './labels.js';
import type { ClusterObjects, ExecResult, NodeInfo, NodeProvider, NodeSpec } from './provider.js';
import type { NodePrivileges } from './privileges.js';

/** NodeProvider on a Docker engine through dockerode. */
export class DockerProvider implements NodeProvider {
  constructor(
    private readonly docker: Docker,
    private readonly log: Logger,
    /** Resolved lazily: how node containers get the rights a nested dockerd needs on this engine. */
    private readonly privileges: (image: string) => Promise<NodePrivileges>,
  ) {}

  ping(): Promise<void> {
    return ensureEngine(this.docker);
  }

  async listClusters(): Promise<string[]> {
    const { containers, networks, volumes } = await this.labelled();
    const names = new Set<string>();
    for (const o of [...containers, ...networks, ...volumes]) {
      const name = o.Labels?.[LABEL.cluster];
      if (name) names.add(name);
    }
    return [...names].sort();
  }

  async listNodes(cluster?: string): Promise<NodeInfo[]> {
    const list = await guard(() => this.docker.listContainers({ all: true, filters: clusterFilter(cluster) }));
    const nodes: NodeInfo[] = [];
    for (const c of list) {
      const labels = c.Labels ?? {};
      const name = labels[LABEL.node];
      const clusterName = labels[LABEL.cluster];
      if (!name || !clusterName) continue;
      const net = c.NetworkSettings?.Networks?.[networkName(clusterName)] as
        | { IPAddress?: string; IPAMConfig?: { IPv4Address?: string } | null }
        | undefined;
      nodes.push({
        name,
        cluster: clusterName,
        role: (labels[LABEL.role] as NodeRole) ?? 'worker',
        index: Number(labels[LABEL.index] ?? -1),
        state: c.State,
        ip: net?.IPAMConfig?.IPv4Address || net?.IPAddress || '',
        ports: (c.Ports ?? [])
          .filter((p) => p.PublicPort && (p.IP === '127.0.0.1' || !p.IP))
          .map((p) => ({ container: p.PrivatePort, host: p.PublicPort })),
      });
    }
    return nodes.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.index - b.index);
  }

  async clusterObjects(cluster: string): Promise<ClusterObjects> {
    const { containers, networks, volumes } = await this.labelled(cluster);
    return {
      containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, '')),
      networks: networks.map((n) => n.Name),
      volumes: volumes.map((v) => v.Name),
    };
  }

  /** Containers, networks and volumes labelled with `cluster` (or with any cluster). */
  private async labelled(cluster?: string) {
    const filters = clusterFilter(cluster);
    const [containers, networks, volumes] = await guard(() =>
      Promise.all([
        this.docker.listContainers({ all: true, filters }),
        this.docker.listNetworks({ filters }),
        this.docker.listVolumes({ filters }),
      ]),
    );
    return { containers, networks, volumes: volumes.Volumes ?? [] };
  }

  async createNetwork(cluster: string): Promise<string> {
    const used: string[] = [];
    for (const n of await guard(() => this.docker.listNetworks())) {
      for (const c of n.IPAM?.Config ?? []) if (c.Subnet && c.Subnet.includes('.')) used.push(c.Subnet);
    }
    for (let attempt = 0; attempt < 8; attempt++) {
      const subnet = pickNodeSubnet(used);
      try {
        await this.docker.createNetwork({
          Name: networkName(cluster),
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: { [LABEL.cluster]: cluster },
          IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: subnet.replace(/\.0\/24$/, '.1') }] },
        });
        this.log.v(1).info(`network ${networkName(cluster)} on ${subnet}`);
        return subnet;
      } catch (err) {
        if (isEngineUnreachable(err)) throw engineUnreachable(err);
        if (!/overlap/i.test(String((err as Error).message))) throw wrapError(`failed to create network ${networkName(cluster)}`, err);
        used.push(subnet);
      }
    }
    throw new KubelabError(`failed to create network ${networkName(cluster)}: every candidate subnet overlaps another network`);
  }

  async networkSubnet(cluster: string): Promise<string | undefined> {
    const nets = await guard(() => this.docker.listNetworks({ filters: clusterFilter(cluster) }));
    return nets[0]?.IPAM?.Config?.[0]?.Subnet;
  }

  async createNode(spec: NodeSpec): Promise<void> {
    const labels = {
      [LABEL.cluster]: spec.cluster,
      [LABEL.role]: spec.role,
      [LABEL.node]: spec.name,
      [LABEL.index]: String(spec.index),
    };
    const privileges = await this.privileges(spec.image);
    const network = networkName(spec.cluster);
    const ports = Object.fromEntries(
      spec.ports.map((p) => [`${p.container}/tcp`, [{ HostIp: '127.0.0.1', HostPort: p.host ? String(p.host) : '' }]]),
    );
    try {
      await this.docker.createVolume({ Name: volumeName(spec.name), Labels: labels });
      await this.docker.createContainer({
        name: spec.name,
        Hostname: spec.name,
        Image: spec.image,
        Labels: labels,
        Env: [
          `KUBELAB_CLUSTER=${spec.cluster}`,
          `KUBELAB_NODE_NAME=${spec.name}`,
          `KUBELAB_NODE_INDEX=${spec.index}`,
          `KUBELAB_ROLE=${spec.role}`,
          `KUBELAB_POD_CIDR=${spec.podCIDR}`,
          `KUBELAB_NODE_IP=${spec.ip}`,
          ...Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
        ],
        ExposedPorts: Object.fromEntries(spec.ports.map((p) => [`${p.container}/tcp`, {}])),
        StopTimeout: 20,
        HostConfig: {
          Init: true,
          RestartPolicy: { Name: 'unless-stopped' },
          NetworkMode: network,
          Mounts: [{ Type: 'volume', Source: volumeName(spec.name), Target: '/var', VolumeOptions: { NoCopy: true } as Docker.MountConfig[number]['VolumeOptions'] }],
          Tmpfs: { '/run': 'rw,exec,mode=755', '/tmp': 'rw,exec,mode=1777' },
          PortBindings: ports,
          ...privileges.hostConfig,
        },
        NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: spec.ip } } } },
      });
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      throw wrapError(`failed to create node ${spec.name}`, err);
    }
  }

  async startNode(name: string): Promise<void> {
    try {
      await this.docker.getContainer(name).start();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 304) return; // already running
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      if (/address already in use|port is already allocated/i.test(String((err as Error).message))) {
        throw new KubelabError(`failed to start node ${name}: a host port it publishes is in use`, {
          hint: 'stop the program holding that port on 127.0.0.1, or recreate the cluster without fixed ports',
          cause: err,
        });
      }
      throw wrapError(`failed to start node ${name}`, err);
    }
  }

  async stopNode(name: string): Promise<void> {
    try {
      await this.docker.getContainer(name).stop({ t: 20 });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 304) return; // already stopped
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      throw wrapError(`failed to stop node ${name}`, err);
    }
  }

  async deleteNode(name: string): Promise<void> {
    await this.removeContainer(name);
    await this.removeVolume(volumeName(name));
  }

  async deleteCluster(cluster: string): Promise<ClusterObjects> {
    const objects = await this.clusterObjects(cluster);
    await Promise.all(objects.containers.map((c) => this.removeContainer(c)));
    await Promise.all(objects.volumes.map((v) => this.removeVolume(v)));
    for (const n of objects.networks) {
      try {
        await this.docker.getNetwork(n).remove();
      } catch (err) {
        if (isEngineUnreachable(err)) throw engineUnreachable(err);
        if ((err as { statusCode?: number }).statusCode !== 404) throw wrapError(`failed to remove network ${n}`, err);
      }
    }
    return objects;
  }

  async writeFiles(node: string, dir: string, files: Record<string, { content: string; mode?: number }>): Promise<void> {
    const staging = await mkdtemp(join(tmpdir(), 'kubelab-'));
    try {
      for (const [name, f] of Object.entries(files)) await writeFile(join(staging, name), f.content, { mode: f.mode ?? 0o644 });
      const archive = pack(staging, { entries: Object.keys(files), map: (h) => ({ ...h, uid: 0, gid: 0 }) }) as unknown as NodeJS.ReadableStream;
      await this.docker.getContainer(node).putArchive(archive, { path: dir });
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      throw wrapError(`failed to write ${Object.keys(files).join(', ')} into ${dir} of node ${node}`, err);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async waitForLogLine(node: string, text: string, timeoutMs: number): Promise<boolean> {
    const container = this.docker.getContainer(node);
    let stream: NodeJS.ReadableStream;
    try {
      const info = await container.inspect();
      if (!info.State.Running) return false;
      const since = Date.parse(info.State.StartedAt) / 1000;
      stream = (await container.logs({ follow: true, stdout: true, stderr: true, since })) as unknown as NodeJS.ReadableStream;
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      return false;
    }
    return new Promise<boolean>((resolve) => {
      let seen = '';
      const lines = new PassThrough();
      const finish = (found: boolean) => {
        clearTimeout(timer);
        (stream as unknown as { destroy?: () => void }).destroy?.();
        resolve(found);
      };
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      lines.on('data', (b: Buffer) => {
        seen = (seen + b.toString()).slice(-4096);
        if (seen.includes(text)) finish(true);
      });
      this.docker.modem.demuxStream(stream, lines, lines);
      stream.on('end', () => finish(false));
      stream.on('error', () => finish(false));
    });
  }

  async exec(node: string, cmd: string[], opts: { stdin?: NodeJS.ReadableStream } = {}): Promise<ExecResult> {
    try {
      const exec = await this.docker.getContainer(node).exec({
        Cmd: cmd,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: Boolean(opts.stdin),
      });
      const stream = await exec.start({ hijack: true, stdin: Boolean(opts.stdin) });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
      const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
      this.docker.modem.demuxStream(stream, stdout, stderr);
      if (opts.stdin) {
        opts.stdin.on('end', () => (stream as Duplex).end());
        opts.stdin.pipe(stream as Duplex, { end: false });
      }
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
      const info = await exec.inspect();
      return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
    } catch (e) {
      if (isEngineUnreachable(e)) throw engineUnreachable(e);
      throw wrapError(`failed to run ${cmd[0]} in node ${node}`, e);
    }
  }

  async execInteractive(node: string, cmd: string[], size: { rows: number; cols: number }) {
    const exec = await this.docker.getContainer(node).exec({
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color'],
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    const resize = async (s: { rows: number; cols: number }) => {
      await exec.resize({ h: s.rows, w: s.cols }).catch(() => undefined);
    };
    await resize(size);
    return {
      stream,
      resize,
      exitCode: async () => (await exec.inspect()).ExitCode ?? -1,
    };
  }

  private async removeContainer(name: string): Promise<void> {
    try {
      await this.docker.getContainer(name).remove({ force: true, v: true });
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      if ((err as { statusCode?: number }).statusCode !== 404) throw wrapError(`failed to remove container ${name}`, err);
    }
  }

  private async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove({ force: true });
    } catch (err) {
      if (isEngineUnreachable(err)) throw engineUnreachable(err);
      if ((err as { statusCode?: number }).statusCode !== 404) throw wrapError(`failed to remove volume ${name}`, err);
    }
  }
}

/** Runs a read-only Docker call, turning "engine unreachable" into the standard clear error. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isEngineUnreachable(err)) throw engineUnreachable(err);
    throw err;
  }
}
