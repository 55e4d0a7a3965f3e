import { describe, expect, it } from 'vitest';
import { parseRoutes, planRoutes, routeCommand, type Peer } from './routes.js';

const table = `default via 172.30.0.1 dev eth0
10.244.1.0/24 dev docker0 proto kernel scope link src 10.244.1.1 linkdown
172.30.0.0/24 dev eth0 proto kernel scope link src 172.30.0.3
`;

const peers: Peer[] = [
  { name: 'dev-control-plane', ip: '172.30.0.2', podCIDR: '10.244.0.0/24' },
  { name: 'dev-worker', ip: '172.30.0.3', podCIDR: '10.244.1.0/24' },
  { name: 'dev-worker2', ip: '172.30.0.4', podCIDR: '10.244.2.0/24' },
];

describe('parseRoutes', () => {
  it('reads destination, gateway and device', () => {
    expect(parseRoutes(table)).toEqual([
      { dst: 'default', via: '172.30.0.1', dev: 'eth0' },
      { dst: '10.244.1.0/24', via: undefined, dev: 'docker0' },
      { dst: '172.30.0.0/24', via: undefined, dev: 'eth0' },
    ]);
  });
});

describe('planRoutes', () => {
  it('adds a route to every other node, never to itself', () => {
    const ops = planRoutes(parseRoutes(table), peers, 'dev-worker', '10.244.0.0/16');
    expect(ops).toEqual([
      { op: 'replace', dst: '10.244.0.0/24', via: '172.30.0.2' },
      { op: 'replace', dst: '10.244.2.0/24', via: '172.30.0.4' },
    ]);
    expect(ops.map(routeCommand)).toEqual([
      ['route', 'replace', '10.244.0.0/24', 'via', '172.30.0.2'],
      ['route', 'replace', '10.244.2.0/24', 'via', '172.30.0.4'],
    ]);
  });

  it('does nothing when the table already matches', () => {
    const wired = `${table}10.244.0.0/24 via 172.30.0.2 dev eth0\n10.244.2.0/24 via 172.30.0.4 dev eth0\n`;
    expect(planRoutes(parseRoutes(wired), peers, 'dev-worker', '10.244.0.0/16')).toEqual([]);
  });

  it('removes routes of nodes that left, and fixes a moved gateway', () => {
    const stale = `${table}10.244.0.0/24 via 172.30.0.9 dev eth0\n10.244.5.0/24 via 172.30.0.7 dev eth0\n`;
    const ops = planRoutes(parseRoutes(stale), peers.slice(0, 2), 'dev-worker', '10.244.0.0/16');
    expect(ops).toEqual([
      { op: 'replace', dst: '10.244.0.0/24', via: '172.30.0.2' },
      { op: 'delete', dst: '10.244.5.0/24' },
    ]);
    expect(routeCommand(ops[1]!)).toEqual(['route', 'del', '10.244.5.0/24']);
  });

  it('leaves routes outside the cluster CIDR alone', () => {
    const other = `${table}192.168.50.0/24 via 172.30.0.1 dev eth0\n`;
    expect(planRoutes(parseRoutes(other), [], 'dev-worker', '10.244.0.0/16')).toEqual([]);
  });
});
