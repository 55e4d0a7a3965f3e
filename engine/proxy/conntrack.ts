// UDP has no connection to close: conntrack keeps sending a client's datagrams to the endpoint it
// first got, even after that endpoint is gone (a DNS client talking to a deleted pod forever).
// These are the conntrack entries to drop when endpoints change. Pure; main.ts runs them.
import { portId } from './rules.js';
import type { ServicePort } from './service-ports.js';

/**
 * `conntrack` argument lists that drop UDP entries made stale between two syncs: entries
 * translated to an endpoint a service port no longer has (by cluster IP and by node port), and
 * untranslated entries for a cluster IP whose port had no endpoints before and has some now.
 * Deduplicated, in a stable order.
 */
export function conntrackCleanups(before: ServicePort[], after: ServicePort[]): string[][] {
  const now = new Map(after.map((p) => [portId(p), p] as const));
  const then = new Map(before.map((p) => [portId(p), p] as const));
  const out = new Map<string, string[]>();
  const add = (args: string[]) => out.set(args.join(' '), args);
  for (const old of before) {
    if (old.protocol !== 'UDP') continue;
    const kept = new Set((now.get(portId(old))?.endpoints ?? []).map((e) => e.ip));
    for (const ip of new Set(old.endpoints.map((e) => e.ip))) {
      if (kept.has(ip)) continue;
      add(['-D', '-p', 'udp', '--orig-dst', old.clusterIP, '--dst-nat', ip]);
      if (old.nodePort) add(['-D', '-p', 'udp', '--orig-port-dst', String(old.nodePort), '--dst-nat', ip]);
    }
  }
  for (const p of after) {
    if (p.protocol !== 'UDP' || p.endpoints.length === 0) continue;
    if ((then.get(portId(p))?.endpoints.length ?? 0) === 0) add(['-D', '-p', 'udp', '--orig-dst', p.clusterIP, '--orig-port-dst', String(p.port)]);
  }
  return [...out.values()];
}
