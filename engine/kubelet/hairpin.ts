// Hairpin mode on the pod bridge's ports. A pod that reaches itself through its Service's address
// has its packets DNATed back to the bridge port they came in on; the bridge drops such frames
// unless the port is in hairpin mode (upstream's kubelet sets the same). dockerd only does it
// when its userland proxy is off, which needs a writable /proc/sys that nodes may lack, so the
// agent sets it over netlink with iproute2's `bridge` after each sandbox starts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A port of `bridge -d -j link show`. */
interface BridgePort {
  ifname: string;
  master?: string;
  hairpin?: boolean;
}

/** The ports of `bridge` that are not in hairpin mode yet, from `bridge -d -j link show` output. */
export function portsWithoutHairpin(json: string, bridge: string): string[] {
  const ports = (JSON.parse(json || '[]') as BridgePort[]).filter((p) => p.master === bridge);
  return ports.filter((p) => p.hairpin === false).map((p) => p.ifname);
}

/** Turns hairpin mode on for every port of `bridge` (one run at a time; calls while it runs share the next run). */
export function hairpinSetter(bridge: string, log: (line: string) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const once = async () => {
    const { stdout } = await run('bridge', ['-d', '-j', 'link', 'show']);
    for (const port of portsWithoutHairpin(stdout, bridge)) {
      await run('bridge', ['link', 'set', 'dev', port, 'hairpin', 'on']).catch((err: Error) => log(`hairpin on ${port}: ${err.message}`));
    }
  };
  const loop = async (): Promise<void> => {
    do {
      again = false;
      await once().catch((err: Error) => log(`hairpin: ${err.message}`));
    } while (again);
    running = undefined;
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop();
    return running;
  };
}
