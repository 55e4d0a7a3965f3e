import { describe, expect, it } from 'vitest';
import { findResource, parseManifest } from './apply';

describe('parseManifest', () => {
  it('reads several documents and skips empty ones', () => {
    const docs = parseManifest(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
`);
    expect(docs.map((d) => (d.ok ? `${d.object.kind}/${d.object.metadata.name}` : d.error))).toEqual(['Deployment/web', 'Service/web']);
  });

  it('flattens a List', () => {
    const docs = parseManifest(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }] }));
    expect(docs.map((d) => d.ok && d.object.metadata.name)).toEqual(['a', 'b']);
  });

  it.each([
    ['kind: Pod\nmetadata: {name: x}', /apiVersion and kind are required/],
    ['apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}', /metadata.name is required/],
    ['- a\n- b', /not an object/],
    ['apiVersion: v1\nkind: Pod\n  bad: indent: here', /at line \d+/],
  ])('reports %j', (text, want) => {
    const [doc] = parseManifest(text);
    expect(doc?.ok).toBe(false);
    // The result names the document ("document N"); the error itself does not repeat it.
    if (doc && !doc.ok) expect(doc.error).toMatch(want);
    if (doc && !doc.ok) expect(doc.error).not.toMatch(/^document/);
  });

  it('keeps going after a bad document', () => {
    const docs = parseManifest('kind: X\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}');
    expect(docs.map((d) => d.ok)).toEqual([false, true]);
  });
});

describe('findResource', () => {
  const resources = [
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'pods/log', kind: 'Pod', namespaced: true },
    { name: 'nodes', kind: 'Node', namespaced: false },
  ];
  it('finds the main resource of a kind, not a subresource', () => {
    expect(findResource(resources, 'Pod')?.name).toBe('pods');
    expect(findResource(resources, 'Node')).toMatchObject({ name: 'nodes', namespaced: false });
    expect(findResource(resources, 'Widget')).toBeUndefined();
  });
});
