import { describe, expect, it } from 'vitest';
import { hostPorts, nodeInfo, portsConflict } from './node-info.js';
import { milliCpu, podRequests, units } from './resources.js';
import { container, node, pod } from './test-fixtures.js';

describe('quantities', () => {
  it.each([
    ['100m', 100],
    ['1', 1000],
    ['1.5', 1500],
    [2, 2000],
    ['0.1', 100],
    ['1e-3', 1],
    ['1u', 1], // below a millicore rounds up, as MilliValue does
    ['2k', 2_000_000],
    ['nonsense', 0],
  ])('cpu %s is %d millicores', (q, want) => expect(milliCpu(q)).toBe(want));

  it.each([
    ['1Ki', 1024],
    ['1Mi', 1024 ** 2],
    ['1Gi', 1024 ** 3],
    ['0.5Gi', 512 * 1024 ** 2],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1.5k', 1500],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['100m', 1], // a fraction of a byte rounds up
    [110, 110],
    ['', 0],
  ])('memory %s is %d bytes', (q, want) => expect(units(q)).toBe(want));
});

describe('podRequests', () => {
  const spec = (s: object) => pod('p', { spec: s });
  it.each([
    ['sums app containers', spec({ containers: [container({ cpu: '100m', memory: '1Gi' }), container({ cpu: '200m' })] }), {}, { cpu: 300, memory: 1024 ** 3 }],
    [
      'takes the largest init container when it exceeds the app containers',
      spec({ containers: [container({ cpu: '100m' })], initContainers: [container({ cpu: '500m' }), container({ cpu: '50m', memory: '1Mi' })] }),
      {},
      { cpu: 500, memory: 1024 ** 2 },
    ],
    [
      'adds sidecars to the app containers and to later init containers',
      spec({
        containers: [container({ cpu: '100m' })],
        initContainers: [container({ cpu: '200m' }, { restartPolicy: 'Always' }), container({ cpu: '350m' })],
      }),
      {},
      { cpu: 550 },
    ],
    ['adds the pod overhead', spec({ containers: [container({ cpu: '100m' })], overhead: { cpu: '250m', memory: '120Mi' } }), {}, { cpu: 350, memory: 120 * 1024 ** 2 }],
    ['uses pod-level requests where set', spec({ containers: [container({ cpu: '100m', memory: '1Mi' })], resources: { requests: { cpu: '2' } } }), {}, { cpu: 2000, memory: 1024 ** 2 }],
    ['counts nothing for a best-effort pod', spec({ containers: [container()] }), {}, {}],
    ['counts 100m and 200Mi per request-less container when scoring', spec({ containers: [container(), container({ cpu: '1' })] }), { nonZero: true }, { cpu: 1100, memory: 400 * 1024 ** 2 }],
    ['keeps an explicit zero when scoring', spec({ containers: [container({ cpu: '0', memory: '0' })] }), { nonZero: true }, { cpu: 0, memory: 0 }],
  ])('%s', (_name, p, opts, want) => expect(podRequests(p, opts)).toEqual(want));
});

describe('nodeInfo', () => {
  it('sums the requests and host ports of live pods, leaving finished pods out', () => {
    const web = pod('web', { requests: { cpu: '500m' }, spec: { containers: [container({ cpu: '500m' }, { ports: [{ containerPort: 80, hostPort: 8080 }] })] } });
    const done = { ...pod('done', { requests: { cpu: '3' } }), status: { phase: 'Succeeded' } };
    const info = nodeInfo(node('n1', { cpu: '2', memory: '1Gi', pods: '10' }), [web, done, pod('idle')]);
    expect(info).toMatchObject({
      name: 'n1',
      allocatable: { cpu: 2000, memory: 1024 ** 3, pods: 10 },
      requested: { cpu: 500 },
      nonZeroRequested: { cpu: 600, memory: 400 * 1024 ** 2 },
      usedPorts: [{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }],
    });
    expect(info.pods.map((p) => p.metadata?.name)).toEqual(['web', 'idle']);
  });

  it('falls back to capacity when allocatable is unset', () => {
    const n = node('n1');
    delete n.status!.allocatable;
    expect(nodeInfo(n, []).allocatable.cpu).toBe(4000);
  });

  it.each([
    [{ ip: '0.0.0.0', protocol: 'TCP', port: 80 }, { ip: '10.0.0.1', protocol: 'TCP', port: 80 }, true],
    [{ ip: '10.0.0.1', protocol: 'TCP', port: 80 }, { ip: '10.0.0.2', protocol: 'TCP', port: 80 }, false],
    [{ ip: '0.0.0.0', protocol: 'UDP', port: 80 }, { ip: '0.0.0.0', protocol: 'TCP', port: 80 }, false],
    [{ ip: '0.0.0.0', protocol: 'TCP', port: 81 }, { ip: '0.0.0.0', protocol: 'TCP', port: 80 }, false],
  ])('ports %j and %j conflict: %s', (a, b, want) => expect(portsConflict(a, b)).toBe(want));

  it('reads host ports of containers and sidecars, ignoring container-only ports', () => {
    const p = pod('p', {
      spec: {
        containers: [container({}, { ports: [{ containerPort: 80 }, { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '127.0.0.1' }] })],
        initContainers: [container({}, { restartPolicy: 'Always', ports: [{ containerPort: 9000, hostPort: 9000 }] }), container({}, { ports: [{ containerPort: 1, hostPort: 1 }] })],
      },
    });
    expect(hostPorts(p)).toEqual([
      { ip: '127.0.0.1', protocol: 'UDP', port: 53 },
      { ip: '0.0.0.0', protocol: 'TCP', port: 9000 },
    ]);
  });
});
