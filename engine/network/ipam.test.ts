import { describe, expect, it } from 'vitest';
import { cidrsOverlap, parseCidr } from './cidr.js';
import { bridgeAddressFor, nextFreeIndex, nodeAddressFor, pickNodeSubnet, podCidrFor } from './ipam.js';

describe('podCIDR per node', () => {
  it.each([
    [0, '10.244.0.0/24', '10.244.0.1/24'],
    [1, '10.244.1.0/24', '10.244.1.1/24'],
    [17, '10.244.17.0/24', '10.244.17.1/24'],
  ])('node %i owns %s with its bridge at %s', (index, cidr, bridge) => {
    expect(podCidrFor(index)).toBe(cidr);
    expect(bridgeAddressFor(index)).toBe(bridge);
  });

  it('rejects indexes outside the cluster CIDR', () => {
    expect(() => podCidrFor(-1)).toThrow(RangeError);
    expect(() => podCidrFor(251)).toThrow(RangeError);
    expect(() => podCidrFor(1.5)).toThrow(RangeError);
  });
});

describe('node indexes', () => {
  it('takes the lowest free index, reusing holes left by deleted nodes', () => {
    expect(nextFreeIndex([])).toBe(0);
    expect(nextFreeIndex([0, 1, 2])).toBe(3);
    expect(nextFreeIndex([0, 2, 3])).toBe(1);
  });

  it('fails when the cluster is full', () => {
    expect(() => nextFreeIndex(Array.from({ length: 251 }, (_, i) => i))).toThrow(/at most 251/);
  });
});

describe('node addresses', () => {
  it('skips the network address and the gateway', () => {
    expect(nodeAddressFor('172.30.4.0/24', 0)).toBe('172.30.4.2');
    expect(nodeAddressFor('172.30.4.0/24', 3)).toBe('172.30.4.5');
  });

  it('refuses an index that would reach the broadcast address', () => {
    expect(() => nodeAddressFor('172.30.4.0/24', 253)).toThrow(RangeError);
  });
});

describe('node network subnet', () => {
  it('takes the first /24 of 172.30.0.0/15 when nothing is used', () => {
    expect(pickNodeSubnet([])).toBe('172.30.0.0/24');
  });

  it('skips subnets that overlap existing networks', () => {
    expect(pickNodeSubnet(['172.17.0.0/16', '172.30.0.0/24', '172.30.1.0/24'])).toBe('172.30.2.0/24');
    expect(pickNodeSubnet(['172.30.0.0/16'])).toBe('172.31.0.0/24');
  });

  it('never overlaps what it was told is used', () => {
    const used = ['172.30.0.0/20', '172.30.17.0/24', '172.30.16.128/25'];
    const picked = parseCidr(pickNodeSubnet(used));
    for (const u of used) expect(cidrsOverlap(picked, parseCidr(u))).toBe(false);
    expect(pickNodeSubnet(used)).toBe('172.30.18.0/24');
  });

  it('fails when the whole range is used', () => {
    expect(() => pickNodeSubnet(['172.30.0.0/15'])).toThrow(/no free/);
  });
});
