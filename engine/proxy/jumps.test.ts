import { describe, expect, it } from 'vitest';
import { jumpCommands, PROXY_JUMPS } from './jumps.js';

const jump = (table: string, chain: string) => PROXY_JUMPS.find((j) => j.table === table && j.chain === chain)!;
const forward = jump('filter', 'FORWARD');
const ours = '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES';

describe('jumpCommands', () => {
  it('inserts a missing jump first', () => {
    expect(jumpCommands('-P FORWARD DROP\n-A FORWARD -j KUBELAB-FORWARD\n', forward)).toEqual([['-t', 'filter', '-I', 'FORWARD', '1', ...forward.rule]]);
  });

  it('leaves a jump alone when only our chains or DOCKER-USER come before it', () => {
    const listing = ['-P FORWARD DROP', '-A FORWARD -j DOCKER-USER', '-A FORWARD -j KUBE-EXTERNAL-SERVICES', ours, '-A FORWARD -j KUBELAB-FORWARD', '-A FORWARD -j DOCKER-FORWARD'].join('\n');
    expect(jumpCommands(listing, forward)).toEqual([]);
  });

  it('moves a jump that something accepting could shadow, deleting it by number', () => {
    const listing = ['-P FORWARD DROP', '-A FORWARD -j KUBELAB-FORWARD', ours, '-A FORWARD -i docker0 -j ACCEPT'].join('\n');
    expect(jumpCommands(listing, forward)).toEqual([
      ['-t', 'filter', '-D', 'FORWARD', '2'],
      ['-t', 'filter', '-I', 'FORWARD', '1', ...forward.rule],
    ]);
  });

  it('keeps one copy of a doubled jump, deleting from the highest number', () => {
    const listing = ['-P FORWARD ACCEPT', ours, '-A FORWARD -j KUBELAB-FORWARD', ours].join('\n');
    expect(jumpCommands(listing, forward).map((c) => c.slice(2, 5))).toEqual([
      ['-D', 'FORWARD', '3'],
      ['-D', 'FORWARD', '1'],
      ['-I', 'FORWARD', '1'],
    ]);
  });

  it('accepts the masquerade jump anywhere in POSTROUTING', () => {
    const post = jump('nat', 'POSTROUTING');
    const listing = ['-P POSTROUTING ACCEPT', '-A POSTROUTING -j KUBELAB-POSTROUTING', '-A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE', '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'].join('\n');
    expect(jumpCommands(listing, post)).toEqual([]);
    expect(jumpCommands('-P POSTROUTING ACCEPT\n', post)).toEqual([['-t', 'nat', '-I', 'POSTROUTING', '1', ...post.rule]]);
  });

  it('covers nat PREROUTING and OUTPUT and filter INPUT, FORWARD and OUTPUT', () => {
    expect(PROXY_JUMPS.map((j) => `${j.table}/${j.chain}->${j.rule.at(-1)}`)).toEqual([
      'nat/PREROUTING->KUBE-SERVICES',
      'nat/OUTPUT->KUBE-SERVICES',
      'nat/POSTROUTING->KUBE-POSTROUTING',
      'filter/INPUT->KUBE-EXTERNAL-SERVICES',
      'filter/FORWARD->KUBE-SERVICES',
      'filter/OUTPUT->KUBE-SERVICES',
    ]);
  });
});
