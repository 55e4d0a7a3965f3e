// Jumps from the built-in chains into the proxy's chains. Most must come first: a packet for a
// service has to be translated (nat) or refused (filter) before kubelab's or Docker's rules accept
// it, and dockerd reorders its own rules when it restarts. Pure; main.ts runs the commands.
import { EXTERNAL_SERVICES_CHAIN, POSTROUTING_CHAIN, SERVICES_CHAIN } from './rules.js';

/** A rule in a built-in chain that jumps into one of ours. */
export interface ProxyJump {
  table: 'nat' | 'filter';
  chain: string;
  /** The rule after `-A chain` (ends with `-j target`). */
  rule: string[];
  /** Whether only jumps into our own chains (or the user's DOCKER-USER) may come before it. */
  first: boolean;
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
const jumpTo = (target: string, comment: string) => ['-m', 'comment', '--comment', comment, '-j', target];

/** Every jump the proxy keeps in place. */
export const PROXY_JUMPS: ProxyJump[] = [
  { table: 'nat', chain: 'PREROUTING', rule: jumpTo(SERVICES_CHAIN, 'kubernetes service portals'), first: true },
  { table: 'nat', chain: 'OUTPUT', rule: jumpTo(SERVICES_CHAIN, 'kubernetes service portals'), first: true },
  { table: 'nat', chain: 'POSTROUTING', rule: jumpTo(POSTROUTING_CHAIN, 'kubernetes postrouting rules'), first: false },
  { table: 'filter', chain: 'INPUT', rule: [...NEW, ...jumpTo(EXTERNAL_SERVICES_CHAIN, 'kubernetes node ports without endpoints')], first: true },
  { table: 'filter', chain: 'FORWARD', rule: [...NEW, ...jumpTo(SERVICES_CHAIN, 'kubernetes service portals')], first: true },
  { table: 'filter', chain: 'OUTPUT', rule: [...NEW, ...jumpTo(SERVICES_CHAIN, 'kubernetes service portals')], first: true },
];

/** The target of an `iptables -S` rule line, if it jumps (`-j X` or `-g X`). */
function targetOf(line: string): string | undefined {
  return /\s-[jg]\s+(\S+)/.exec(line)?.[1];
}

/** Targets that may sit before our jumps: ours, and Docker's hook for user rules (empty unless the user fills it). */
const harmlessBefore = (target: string | undefined) => !!target && (target.startsWith('KUBE-') || target === 'DOCKER-USER');

/**
 * The iptables commands (argument lists, without `iptables`) that put `jump` in place, given the
 * chain's current `iptables -t <table> -S <chain>` listing. Empty when it is already right; when
 * it is missing it is inserted first; when it is misplaced or doubled every copy is deleted by
 * number (highest first, so numbers stay valid) and one is inserted first.
 */
export function jumpCommands(listing: string, jump: ProxyJump): string[][] {
  const target = jump.rule.at(-1)!;
  const rules = listing.split('\n').filter((l) => l.startsWith(`-A ${jump.chain} `));
  const mine = rules.flatMap((l, i) => (targetOf(l) === target ? [i + 1] : []));
  const insert = ['-t', jump.table, '-I', jump.chain, '1', ...jump.rule];
  if (mine.length === 0) return [insert];
  const placed = !jump.first || rules.slice(0, mine[0]! - 1).every((l) => harmlessBefore(targetOf(l)));
  if (mine.length === 1 && placed) return [];
  return [...mine.reverse().map((n) => ['-t', jump.table, '-D', jump.chain, String(n)]), insert];
}
