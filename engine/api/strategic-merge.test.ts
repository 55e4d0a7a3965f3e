import { describe, expect, it } from 'vitest';
import { PatchError } from './patch.js';
import { f, type FieldSchema } from './schema.js';
import { strategicMerge } from './strategic-merge.js';

// A pod-like schema, inline, so the tests do not depend on the registry's data.
const container = f.obj(0, 'container', {
  name: f.str(1, 'name'),
  image: f.str(2, 'image'),
  ports: f.list(6, 'ports', f.obj(0, 'port', { containerPort: f.int32(3, 'port'), protocol: f.str(4, 'protocol') }), { mergeKey: 'containerPort' }),
  args: f.list(4, 'args', 'string', { listType: 'atomic' }),
});
const schema: FieldSchema = f.obj(0, 'pod', {
  metadata: f.obj(1, 'meta', { labels: f.map(11, 'labels', 'string'), finalizers: f.list(14, 'finalizers', 'string', { patchStrategy: 'merge' }) }),
  spec: f.obj(2, 'spec', {
    containers: f.list(2, 'containers', container, { mergeKey: 'name' }),
    strategy: f.obj(3, 'strategy', { type: f.str(1, 'type'), rollingUpdate: f.obj(2, 'ru', { maxSurge: f.str(1, 'surge') }) }, { patchStrategy: 'retainKeys' }),
  }),
});

const pod = {
  metadata: { labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], args: ['-a'] },
      { name: 'sidecar', image: 'busybox' },
    ],
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
  },
};

describe('strategic merge patch', () => {
  it('merges list items by their merge key and keeps the others', () => {
    const out = strategicMerge(pod, { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } }, schema) as typeof pod;
    expect(out.spec.containers).toEqual([
      { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }], args: ['-a'] },
      { name: 'sidecar', image: 'busybox' },
    ]);
    expect(pod.spec.containers[0]!.image).toBe('nginx:1');
  });

  it('appends new items, merges nested keyed lists, and replaces atomic lists', () => {
    const out = strategicMerge(pod, { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443 }], args: ['-b'] }, { name: 'log', image: 'fluent' }] } }, schema) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web', 'sidecar', 'log']);
    expect(out.spec.containers[0]).toMatchObject({ ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }], args: ['-b'] });
  });

  it('deletes items with $patch: delete, and keys with null', () => {
    const out = strategicMerge(pod, { metadata: { labels: { tier: null } }, spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }, schema) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['web']);
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('replaces a list or a map with $patch: replace', () => {
    const list = strategicMerge(pod, { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } }, schema) as typeof pod;
    expect(list.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    const map = strategicMerge(pod, { metadata: { labels: { $patch: 'replace', new: '1' } } }, schema) as typeof pod;
    expect(map.metadata.labels).toEqual({ new: '1' });
  });

  it('takes the union of merged scalar lists and removes values on request', () => {
    const added = strategicMerge(pod, { metadata: { finalizers: ['b', 'a'] } }, schema) as typeof pod;
    expect(added.metadata.finalizers).toEqual(['a', 'b']);
    const removed = strategicMerge(added, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, schema) as typeof pod;
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('keeps only $retainKeys (kubectl apply switching a Deployment to Recreate)', () => {
    const out = strategicMerge(pod, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, schema) as typeof pod;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('orders list items as $setElementOrder says', () => {
    const out = strategicMerge(pod, { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }], containers: [{ name: 'web', image: 'nginx:3' }] } }, schema) as typeof pod;
    expect(out.spec.containers.map((c) => `${c.name}:${c.image}`)).toEqual(['sidecar:busybox', 'web:nginx:3']);
  });

  it('refuses malformed patches', () => {
    expect(() => strategicMerge(pod, [1], schema)).toThrow(PatchError);
    expect(() => strategicMerge(pod, { spec: { containers: [{ image: 'x' }] } }, schema)).toThrow(/has no "name"/);
    expect(() => strategicMerge(pod, { $bogus: 1 }, schema)).toThrow(/unknown directive/);
  });
});
