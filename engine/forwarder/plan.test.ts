import { describe, expect, it } from 'vitest';
import { desiredIngress, desiredListeners, ingressDiffers, listenerChanges, type HostListener, type Service } from './plan.js';

const svc = (name: string, type: string, ports: Array<{ name?: string; protocol?: string; port: number; nodePort?: number }>, extra: Partial<Service['metadata']> = {}, lbClass?: string): Service => ({
  metadata: { name, namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z', ...extra },
  spec: { type, ports, ...(lbClass ? { loadBalancerClass: lbClass } : {}) },
});

describe('desiredListeners', () => {
  it('opens every TCP node port, and a LoadBalancer\'s ports too; ClusterIP and UDP stay closed', () => {
    const { listeners, conflicts } = desiredListeners([
      svc('web', 'NodePort', [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', protocol: 'UDP', port: 53, nodePort: 30053 }]),
      svc('lb', 'LoadBalancer', [{ port: 8080, nodePort: 31000 }]),
      svc('inner', 'ClusterIP', [{ port: 80 }]),
      svc('no-node-port', 'LoadBalancer', [{ port: 9000 }]),
    ]);
    expect(conflicts).toEqual([]);
    expect([...listeners.keys()].sort((a, b) => a - b)).toEqual([8080, 30080, 31000]);
    expect(listeners.get(30080)).toEqual({ hostPort: 30080, nodePort: 30080, service: 'default/web', portName: 'http', via: 'NodePort' });
    expect(listeners.get(8080)).toEqual({ hostPort: 8080, nodePort: 31000, service: 'default/lb', portName: '', via: 'LoadBalancer' });
    expect(listeners.get(31000)!.via).toBe('NodePort');
  });

  it('gives a shared load-balancer port to the older Service, and never takes a node port\'s', () => {
    const { listeners, conflicts } = desiredListeners([
      svc('young', 'LoadBalancer', [{ port: 80, nodePort: 30002 }], { creationTimestamp: '2024-02-01T00:00:00Z' }),
      svc('old', 'LoadBalancer', [{ port: 80, nodePort: 30001 }], { creationTimestamp: '2024-01-01T00:00:00Z' }),
      svc('greedy', 'LoadBalancer', [{ port: 30001, nodePort: 30003 }]),
    ]);
    expect(listeners.get(80)).toMatchObject({ service: 'default/old', nodePort: 30001 });
    expect(listeners.get(30001)).toMatchObject({ service: 'default/old', via: 'NodePort' });
    expect(conflicts).toEqual([
      { hostPort: 30001, service: 'default/greedy', reason: expect.stringMatching(/already forwarded to default\/old \(its node port\)/) },
      { hostPort: 80, service: 'default/young', reason: expect.stringMatching(/already forwarded to default\/old \(an older LoadBalancer\)/) },
    ]);
  });

  it('a LoadBalancer whose port equals its own node port needs one listener', () => {
    const { listeners, conflicts } = desiredListeners([svc('same', 'LoadBalancer', [{ port: 30500, nodePort: 30500 }])]);
    expect(conflicts).toEqual([]);
    expect([...listeners.values()]).toEqual([{ hostPort: 30500, nodePort: 30500, service: 'default/same', portName: '', via: 'NodePort' }]);
  });
});

describe('listenerChanges', () => {
  const l = (hostPort: number, nodePort = hostPort, service = 'default/a'): HostListener => ({ hostPort, nodePort, service, portName: '', via: 'NodePort' });
  it('opens new ports, closes gone ones and retargets changed ones', () => {
    const current = new Map([[30001, l(30001)], [30002, l(30002)], [80, l(80, 30003)]]);
    const desired = new Map([[30002, l(30002)], [80, l(80, 30004)], [30005, l(30005)]]);
    expect(listenerChanges(current, desired)).toEqual({ open: [l(30005)], close: [30001], retarget: [l(80, 30004)] });
    expect(listenerChanges(desired, desired)).toEqual({ open: [], close: [], retarget: [] });
  });
});

describe('LoadBalancer ingress', () => {
  const lb = svc('lb', 'LoadBalancer', [{ port: 8080, nodePort: 31000 }]);
  const { listeners } = desiredListeners([lb]);

  it('is the loopback while its port is bound, else empty', () => {
    expect(desiredIngress(lb, new Set([8080, 31000]), listeners)).toEqual([{ ip: '127.0.0.1', ipMode: 'VIP' }]);
    expect(desiredIngress(lb, new Set([31000]), listeners)).toEqual([]);
  });

  it('is not ours for other types or another load-balancer class', () => {
    expect(desiredIngress(svc('np', 'NodePort', [{ port: 80, nodePort: 30080 }]), new Set([30080]), listeners)).toBeUndefined();
    expect(desiredIngress(svc('metal', 'LoadBalancer', [{ port: 8080, nodePort: 31000 }], {}, 'example.com/metal'), new Set([8080]), listeners)).toBeUndefined();
  });

  it('is written only when it differs', () => {
    const want = [{ ip: '127.0.0.1', ipMode: 'VIP' }];
    expect(ingressDiffers(lb, want)).toBe(true);
    expect(ingressDiffers({ ...lb, status: { loadBalancer: { ingress: want } } }, want)).toBe(false);
    expect(ingressDiffers({ ...lb, status: { loadBalancer: { ingress: want } } }, [])).toBe(true);
    expect(ingressDiffers({ ...lb, status: { loadBalancer: {} } }, [])).toBe(false);
  });
});
