import { describe, expect, it } from 'vitest';
import { parseDnsFlags, summaryLine } from './main.js';

describe('dns command line', () => {
  it('defaults to the cluster DNS layout', () => {
    expect(parseDnsFlags([])).toEqual({
      zone: 'cluster.local', serviceCidr: '10.96.0.0/12', podCidr: '10.244.0.0/16', ttl: 5,
      port: 53, healthPort: 8080, readyPort: 8181, resolvConf: '/etc/resolv.conf', summarySeconds: 60,
    });
  });

  it('takes --kebab-case=value flags and rejects unknown ones or bad numbers', () => {
    expect(parseDnsFlags(['--port=1053', '--resolv-conf=/tmp/r.conf', '--zone=lab.local', '--summary-seconds=5'])).toMatchObject({ port: 1053, resolvConf: '/tmp/r.conf', zone: 'lab.local', summarySeconds: 5 });
    expect(() => parseDnsFlags(['--nope=1'])).toThrow(/unknown flag --nope=1/);
    expect(() => parseDnsFlags(['--port'])).toThrow(/unknown flag/);
    expect(() => parseDnsFlags(['--ttl=five'])).toThrow(/not a number/);
  });
});

describe('summary line', () => {
  const zero = { udp: 0, tcp: 0, noerror: 0, nxdomain: 0, forwarded: 0, servfail: 0, formerr: 0, truncated: 0, dropped: 0, upstreamFailures: 0 };

  it('says nothing for a quiet period', () => {
    expect(summaryLine(zero, 60)).toBeUndefined();
  });

  it('sums up the counts', () => {
    expect(summaryLine({ ...zero, udp: 7, tcp: 1, noerror: 4, nxdomain: 2, forwarded: 1, servfail: 1, upstreamFailures: 3 }, 60)).toBe(
      'last 60s: 8 queries (7 udp, 1 tcp): 4 answered, 2 nxdomain, 1 forwarded, 1 servfail, 0 formerr, 0 truncated, 0 dropped; 3 upstream failures',
    );
  });
});
