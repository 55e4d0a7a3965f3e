// Pod addresses and interfaces on a node. Docker's own networking is never used for pods: for
// every container it wires, it re-executes the whole dockerd binary twice (a libnetwork hook, about
// 0.4 CPU-seconds here), which made a pod cost twice a plain `docker run`. Most pods' namespaces
// are pinned by the agent (pin below; pod-runtime.ts says how their containers join them); pods
// that need a sandbox container get one with Docker's networking off (attach below). Either way
// the agent wires the network as a CNI bridge plugin would: a veth pair whose node end joins the
// pod bridge (hairpin on, so a pod reaches itself through its Service) and whose pod end becomes
// eth0 with the pod's IP and a default route via the bridge.
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, type CommandRunner } from '../network/command.js';
import { intToIp, ipToInt } from '../network/cidr.js';
import { podAddressRange, type PodAddressRange } from '../network/ipam.js';
import { namespaceDir, netnsName, pinnedIp, POD_NAMESPACES_DIR } from './pod-runtime.js';

/**
 * Hands out pod addresses, one per pod uid. Addresses go round-robin over the free ones, so one
 * just given back is not reused at once (a lingering network namespace or a peer's ARP entry may
 * still know it).
 */
export class PodAddresses {
  private readonly held = new Map<string, number>();
  private next: number;

  constructor(private readonly range: PodAddressRange) {
    this.next = range.first;
  }

  /** Records that `uid` has `ip` (a sandbox found running); a different address it held is released. */
  hold(uid: string, ip: string): void {
    const n = ipToInt(ip);
    if (n < this.range.first || n > this.range.last) return;
    this.held.set(uid, n);
  }

  /** A free address for `uid` (its current one if it holds one); throws when every address is taken. */
  allocate(uid: string): string {
    const mine = this.held.get(uid);
    if (mine !== undefined) return intToIp(mine);
    const taken = new Set(this.held.values());
    const count = this.range.last - this.range.first + 1;
    for (let i = 0; i < count; i++) {
      const n = this.range.first + ((this.next - this.range.first + i) % count);
      if (taken.has(n)) continue;
      this.held.set(uid, n);
      this.next = n === this.range.last ? this.range.first : n + 1;
      return intToIp(n);
    }
    throw new Error(`no free pod address: all ${count} addresses of ${intToIp(this.range.first)}-${intToIp(this.range.last)} are in use`);
  }

  /** Gives back the address of `uid`, if it holds one. */
  release(uid: string): void {
    this.held.delete(uid);
  }

  /** The address `uid` holds, if any. */
  addressOf(uid: string): string | undefined {
    const n = this.held.get(uid);
    return n === undefined ? undefined : intToIp(n);
  }
}

/** A fixed MAC for a pod address (locally administered), so a reused address never meets a stale ARP entry. */
export function macFor(ip: string): string {
  const bytes = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['0a', '6b', ...bytes].join(':');
}

/** The node-side interface name of a sandbox's veth (at most 15 characters). */
export function hostInterfaceName(sandboxName: string): string {
  return `kl${createHash('sha256').update(sandboxName).digest('hex').slice(0, 11)}`;
}

/** What wiring one sandbox takes: ip(8) batch lines for the node and for the pod's network namespace. */
export interface VethPlan {
  node: string;
  pod: string;
}

/**
 * The commands that give network namespace `netns` (a process id, or a name of ip-netns(8)) its
 * eth0 with `ip`, joined to `bridge` through `hostIf`. A pinned namespace's loopback is down until
 * the plan brings it up (runc does that only for namespaces it makes).
 */
export function vethPlan(o: { netns: number | string; ip: string; range: PodAddressRange; bridge: string; hostIf: string }): VethPlan {
  const node = [
    `link add ${o.hostIf} type veth peer name eth0 address ${macFor(o.ip)} netns ${o.netns}`,
    `link set ${o.hostIf} master ${o.bridge}`,
    `link set dev ${o.hostIf} type bridge_slave hairpin on`,
    `link set ${o.hostIf} up`,
  ];
  const pod = ['link set lo up', `addr add ${o.ip}/${o.range.prefix} dev eth0`, 'link set eth0 up', `route add default via ${o.range.gateway} dev eth0`];
  return { node: `${node.join('\n')}\n`, pod: `${pod.join('\n')}\n` };
}

/** The node's pod network as the agent uses it: addresses, and wiring sandboxes to the bridge. */
export class PodNetwork {
  readonly addresses: PodAddresses;
  readonly range: PodAddressRange;

  constructor(
    podCIDR: string,
    private readonly bridge: string,
    private readonly run: CommandRunner = runCommand,
  ) {
    this.range = podAddressRange(podCIDR);
    this.addresses = new PodAddresses(this.range);
  }

  /**
   * Gives the started sandbox (main process `pid`, Docker name `sandboxName`) its interface and
   * address. One command (a shell running ip(8) twice): each process costs more than what it does.
   */
  async attach(pid: number, ip: string, sandboxName: string): Promise<void> {
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('the sandbox has no running process');
    const plan = vethPlan({ netns: pid, ip, range: this.range, bridge: this.bridge, hostIf: hostInterfaceName(sandboxName) });
    await this.run('sh', ['-ec', attachScript(pid, plan)]);
  }

  /**
   * Makes pod `uid`'s namespaces without a container: a network namespace wired to the bridge with
   * `ip`, an IPC namespace, and a 64 MiB tmpfs for its /dev/shm (Docker's size). One unshare that
   * pins the IPC namespace and runs a shell with two ip(8) batches and a mount: each process here
   * costs more than what it does. The `ip` file is written last, so its presence means the whole
   * set is there. Leftovers of an earlier attempt are removed first; on failure nothing stays.
   */
  async pin(uid: string, ip: string): Promise<void> {
    const dir = namespaceDir(uid);
    if (await exists(dir)) await this.unpin(uid);
    const plan = vethPlan({ netns: netnsName(uid), ip, range: this.range, bridge: this.bridge, hostIf: hostInterfaceName(uid) });
    try {
      await mkdir(join(dir, 'containers'), { recursive: true });
      await mkdir(join(dir, 'shm'));
      await writeFile(join(dir, 'ipc'), '');
      await this.run('unshare', [`--ipc=${join(dir, 'ipc')}`, 'sh', '-ec', pinScript(uid, plan)]);
      await writeFile(join(dir, 'ip'), `${ip}\n`);
    } catch (err) {
      await this.unpin(uid).catch(() => undefined);
      throw err;
    }
  }

  /** Removes pod `uid`'s pinned namespaces (its veth goes with its network namespace); nothing to do when it has none. */
  async unpin(uid: string): Promise<void> {
    const dir = namespaceDir(uid);
    if (!(await exists(dir))) return;
    await this.run('sh', ['-c', unpinScript(uid)]);
    await rm(dir, { recursive: true, force: true });
  }

  /** The address of pod `uid`'s pinned namespaces, when they are all there. */
  pinnedIp(uid: string): Promise<string | undefined> {
    return pinnedIp(uid);
  }

  /** Uids of the pods with pinned namespaces on this node. */
  async pinnedUids(): Promise<string[]> {
    return readdir(POD_NAMESPACES_DIR).catch(() => [] as string[]);
  }
}

/** Shell lines that make pod `uid`'s network namespace, apply `plan` and mount its /dev/shm (see PodNetwork.pin). */
export function pinScript(uid: string, plan: VethPlan): string {
  const ns = netnsName(uid);
  return [
    `ip -batch - <<'NODE'\nnetns add ${ns}\n${plan.node}NODE`,
    `ip -n ${ns} -batch - <<'POD'\n${plan.pod}POD`,
    `mount -t tmpfs -o size=65536k,mode=1777,nosuid,nodev,noexec shm ${join(namespaceDir(uid), 'shm')}`,
    '',
  ].join('\n');
}

/**
 * Shell lines that take down whatever exists of pod `uid`'s namespaces; they never fail. The node
 * end of the veth goes first: a namespace that a dying process still holds outlives its file, and
 * the veth with it, whose name a new pin of the pod would need.
 */
export function unpinScript(uid: string): string {
  const d = namespaceDir(uid);
  return [`ip -force -batch - <<'NODE' 2>/dev/null`, `link delete ${hostInterfaceName(uid)}`, `netns delete ${netnsName(uid)}`, 'NODE', `umount -l ${d}/ipc ${d}/shm 2>/dev/null`, 'true', ''].join('\n');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The shell script that applies a plan: the node side, then the pod side inside the sandbox's network namespace. */
export function attachScript(pid: number, plan: VethPlan): string {
  return `ip -batch - <<'NODE'\n${plan.node}NODE\nnsenter --net=/proc/${pid}/ns/net ip -batch - <<'POD'\n${plan.pod}POD\n`;
}
