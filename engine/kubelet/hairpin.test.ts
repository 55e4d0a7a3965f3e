import { describe, expect, it } from 'vitest';
import { portsWithoutHairpin } from './hairpin.js';

describe('hairpin', () => {
  it('picks the ports of the pod bridge that are not in hairpin mode', () => {
    const json = JSON.stringify([
      { ifname: 'veth1', master: 'docker0', hairpin: false },
      { ifname: 'veth2', master: 'docker0', hairpin: true },
      { ifname: 'veth3', master: 'br-other', hairpin: false },
      { ifname: 'eth0' },
    ]);
    expect(portsWithoutHairpin(json, 'docker0')).toEqual(['veth1']);
    expect(portsWithoutHairpin('', 'docker0')).toEqual([]);
  });
});
