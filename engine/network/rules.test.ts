import { describe, expect, it } from 'vitest';
import { formatPeers, parsePeers } from './peers.js';
import { JUMPS, nodeRules } from './rules.js';

describe('nodeRules', () => {
  const rules = nodeRules({ podCIDR: '10.244.2.0/24', clusterCIDR: '10.244.0.0/16', bridge: 'docker0' });

  it('keeps pod source addresses inside the cluster CIDR, before any masquerade', () => {
    const nat = rules.slice(rules.indexOf('*nat'));
    const ret = nat.indexOf('-A KUBELAB-POSTROUTING -s 10.244.2.0/24 -d 10.244.0.0/16 -j RETURN');
    const masq = nat.indexOf('-A KUBELAB-POSTROUTING -s 10.244.2.0/24 ! -o docker0 -j MASQUERADE');
    expect(ret).toBeGreaterThan(0);
    expect(masq).toBeGreaterThan(ret);
  });

  it('forwards pod traffic both ways and commits both tables', () => {
    expect(rules).toContain('-A KUBELAB-FORWARD -s 10.244.0.0/16 -j ACCEPT');
    expect(rules).toContain('-A KUBELAB-FORWARD -d 10.244.0.0/16 -j ACCEPT');
    expect(rules.match(/^COMMIT$/gm)).toHaveLength(2);
    // Declaring the chains makes iptables-restore --noflush reset them: rebuilding is idempotent.
    expect(rules).toMatch(/^:KUBELAB-FORWARD - \[0:0\]$/m);
    expect(rules).toMatch(/^:KUBELAB-POSTROUTING - \[0:0\]$/m);
  });

  it('jumps into both chains from the built-in ones', () => {
    expect(JUMPS).toEqual([
      ['filter', 'FORWARD', '-j', 'KUBELAB-FORWARD'],
      ['nat', 'POSTROUTING', '-j', 'KUBELAB-POSTROUTING'],
    ]);
  });
});

describe('peers file', () => {
  it('round-trips and is stable whatever the input order', () => {
    const a = { name: 'b', ip: '172.30.0.3', podCIDR: '10.244.1.0/24' };
    const b = { name: 'a', ip: '172.30.0.2', podCIDR: '10.244.0.0/24' };
    expect(formatPeers('10.244.0.0/16', [a, b])).toBe(formatPeers('10.244.0.0/16', [b, a]));
    expect(parsePeers(formatPeers('10.244.0.0/16', [a, b])).peers.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('rejects malformed content', () => {
    expect(() => parsePeers('{"peers": 3}')).toThrow(/malformed/);
  });
});
