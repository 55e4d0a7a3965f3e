import { describe, expect, it } from 'vitest';
import { nodeStreamPath } from './pod-stream.js';

const path = (subresource: string) => ({ group: '', version: 'v1', namespace: 'ns 1', resource: 'pods', name: 'web', subresource });
const running = { spec: { containers: [{ name: 'app' }] }, status: { hostIP: '10.0.0.2', phase: 'Running' } };
const two = { spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }] }, status: { hostIP: '10.0.0.2', phase: 'Running' } };

describe('nodeStreamPath', () => {
  it.each([
    ['exec', running, 'command=ls&stdout=true', '/exec/ns%201/web/app?command=ls&stdout=true'],
    ['attach', two, 'container=b&stdin=true', '/attach/ns%201/web/b?container=b&stdin=true'],
    ['exec', two, 'container=i&command=ls&stdout=1', '/exec/ns%201/web/i?container=i&command=ls&stdout=1'],
    ['portforward', two, 'ports=8080', '/portForward/ns%201/web?ports=8080'],
  ])('maps %s', (sub, pod, qs, want) => {
    expect(nodeStreamPath(path(sub), pod, new URLSearchParams(qs))).toBe(want);
  });

  it.each([
    ['exec', { spec: running.spec, status: {} }, '', 'pod web does not have a host assigned'],
    ['exec', { ...running, status: { hostIP: '10.0.0.2', phase: 'Succeeded' } }, 'command=ls', 'cannot exec into a container in a completed pod; current phase is Succeeded'],
    ['attach', two, 'stdin=true', 'a container name must be specified for pod web, choose one of: [a b]'],
    ['exec', two, 'container=zz', 'container zz is not valid for pod web'],
  ])('refuses %s (%#)', (sub, pod, qs, message) => {
    expect(() => nodeStreamPath(path(sub), pod, new URLSearchParams(qs))).toThrow(message);
  });
});
