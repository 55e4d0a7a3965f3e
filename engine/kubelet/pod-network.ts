// Pod addresses and interfaces on a node. A pod's sandbox is made with Docker's networking off:
// Docker then runs no libnetwork hook for it, and each such hook re-executes the whole dockerd
// binary (twice per container, about 0.4 CPU-seconds here), which made a pod cost twice a plain
// `docker run`. The agent wires the sandbox itself instead, as a CNI bridge plugin would: a veth
// pair whose node end joins the pod bridge (hairpin on, so a pod reaches itself through its
// Service) and whose pod end becomes eth0 with the pod's IP and a default route via the bridge.
import { createHash } from 'node:crypto';
import { runCommand } from '../network/command.js';
import { intToIp, ipToInt } from '../network/cidr.js';
import { podAddressRange, type PodAddressRange } from '../network/ipam.js';

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

/** The commands that give the sandbox process `pid` its eth0 with `ip`, joined to `bridge` through `hostIf`. */
export function vethPlan(o: { pid: number; ip: string; range: PodAddressRange; bridge: string; hostIf: string }): VethPlan {
  const node = [
    `link add ${o.hostIf} type veth peer name eth0 address ${macFor(o.ip)} netns ${o.pid}`,
    `link set ${o.hostIf} master ${o.bridge}`,
    `link set dev ${o.hostIf} type bridge_slave hairpin on`,
    `link set ${o.hostIf} up`,
  ];
  const pod = [`addr add ${o.ip}/${o.range.prefix} dev eth0`, 'link set eth0 up', `route add default via ${o.range.gateway} dev eth0`];
  return { node: `${node.join('\n')}\n`, pod: `${pod.join('\n')}\n` };
}

/** Runs a command with input on stdin (the agent's default: a child process on the node). */
export type CommandRunner = (cmd: string, args: string[], input?: string) => Promise<string>;

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
   * address. One child process (a shell running ip(8) twice): forking the agent costs far more
   * than the commands themselves, and a fork stalls the agent's event loop while it copies.
   */
  async attach(pid: number, ip: string, sandboxName: string): Promise<void> {
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('the sandbox has no running process');
    const plan = vethPlan({ pid, ip, range: this.range, bridge: this.bridge, hostIf: hostInterfaceName(sandboxName) });
    await this.run('sh', ['-ec', attachScript(pid, plan)]);
  }
}

/** The shell script that applies a plan: the node side, then the pod side inside the sandbox's network namespace. */
export function attachScript(pid: number, plan: VethPlan): string {
  return `ip -batch - <<'NODE'\n${plan.node}NODE\nnsenter --net=/proc/${pid}/ns/net ip -batch - <<'POD'\n${plan.pod}POD\n`;
}
