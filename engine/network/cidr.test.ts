import { describe, expect, it } from 'vitest';
import { cidrContains, cidrsOverlap, formatCidr, intToIp, ipToInt, parseCidr } from './cidr.js';

describe('cidr', () => {
  it('round-trips addresses', () => {
    for (const ip of ['0.0.0.0', '10.244.3.1', '255.255.255.255', '172.30.0.2']) expect(intToIp(ipToInt(ip))).toBe(ip);
  });

  it('normalises the base of a prefix', () => {
    expect(formatCidr(parseCidr('10.244.3.7/16'))).toBe('10.244.0.0/16');
  });

  it.each(['10.0.0/8', '10.0.0.256/8', '10.0.0.0/33', '10.0.0.0', 'x.y.z.w/1'])('rejects %s', (bad) => {
    expect(() => parseCidr(bad)).toThrow(/invalid/);
  });

  it('detects overlap and containment', () => {
    expect(cidrsOverlap(parseCidr('10.244.0.0/16'), parseCidr('10.244.9.0/24'))).toBe(true);
    expect(cidrsOverlap(parseCidr('10.244.0.0/24'), parseCidr('10.244.1.0/24'))).toBe(false);
    expect(cidrContains(parseCidr('10.244.0.0/16'), '10.244.255.1')).toBe(true);
    expect(cidrContains(parseCidr('10.244.0.0/16'), '10.245.0.1')).toBe(false);
  });
});
