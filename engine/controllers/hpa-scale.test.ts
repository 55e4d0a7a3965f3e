import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../client/rest-client.js';
import { parseGroupVersion, ScaleClient, scalePath } from './hpa-scale.js';

/** Discovery as the apiserver serves it, and a Deployment "web" with a scale subresource. */
function fakeApi() {
  const gets: string[] = [];
  const docs: Record<string, unknown> = {
    '/apis': { groups: [{ name: 'apps', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } }, { name: 'example.com', versions: [{ version: 'v1' }, { version: 'v2' }], preferredVersion: { version: 'v2' } }] },
    '/api/v1': { resources: [{ name: 'pods', kind: 'Pod' }, { name: 'replicationcontrollers', kind: 'ReplicationController' }, { name: 'replicationcontrollers/scale', kind: 'Scale' }] },
    '/apis/apps/v1': { resources: [{ name: 'deployments', kind: 'Deployment' }, { name: 'deployments/scale', kind: 'Scale' }, { name: 'daemonsets', kind: 'DaemonSet' }] },
    '/apis/example.com/v1': { resources: [{ name: 'widgets', kind: 'Widget' }] },
    '/apis/example.com/v2': { resources: [{ name: 'widgets', kind: 'Widget' }, { name: 'widgets/scale', kind: 'Scale' }] },
    '/apis/apps/v1/namespaces/ns/deployments/web/scale': { metadata: { name: 'web' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } },
    '/apis/example.com/v2/namespaces/ns/widgets/w/scale': { metadata: { name: 'w' }, spec: { replicas: 1 }, status: { replicas: 1, selector: 'w=1' } },
  };
  const client = {
    get: async (path: string) => {
      gets.push(path);
      if (path in docs) return docs[path];
      throw new ApiRequestError(404, 'NotFound', path.endsWith('/scale') ? `deployments.apps "${path.split('/').at(-2)}" not found` : 'the server could not find the requested resource');
    },
    update: async (path: string, body: unknown) => ({ path, body }),
  };
  return { client, gets };
}

describe('ScaleClient', () => {
  it('finds the resource of a kind through discovery and reads its scale', async () => {
    const { client } = fakeApi();
    const scales = new ScaleClient(client as never);
    const { scale, mapping } = await scales.get('ns', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(mapping).toEqual({ group: 'apps', version: 'v1', resource: 'deployments', scalable: true });
    expect(scale.status?.selector).toBe('app=web');
    // Custom resources: the preferred version that declares a scale subresource.
    expect((await scales.get('ns', { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' })).mapping.version).toBe('v2');
  });

  it('fails as upstream does: unknown kinds, kinds without a scale subresource, missing objects, bad apiVersions', async () => {
    const scales = new ScaleClient(fakeApi().client as never);
    await expect(scales.get('ns', { apiVersion: 'apps/v1', kind: 'Nope', name: 'x' })).rejects.toThrow('no matches for kind "Nope" in group "apps"');
    await expect(scales.get('ns', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x' })).rejects.toThrow('could not find scale subresource for apps/v1, Resource=daemonsets in discovery information');
    await expect(scales.get('ns', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' })).rejects.toThrow('deployments.apps "gone" not found');
    await expect(scales.get('ns', { apiVersion: 'a/b/c', kind: 'Deployment', name: 'x' })).rejects.toThrow('unexpected GroupVersion string: a/b/c');
    await expect(scales.get('ns', { kind: 'Deployment', name: 'x' })).rejects.toThrow('no matches for kind "Deployment" in group ""');
  });

  it('caches discovery, looking again (at most once a second) for a kind it has not seen', async () => {
    const { client, gets } = fakeApi();
    let now = 0;
    const scales = new ScaleClient(client as never, 30_000, () => now);
    await scales.mappings({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    await scales.mappings({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(gets.filter((p) => p === '/apis/apps/v1')).toHaveLength(1);
    await scales.mappings({ apiVersion: 'apps/v1', kind: 'New', name: 'x' }).catch(() => undefined);
    expect(gets.filter((p) => p === '/apis/apps/v1')).toHaveLength(1);
    now = 1500;
    await scales.mappings({ apiVersion: 'apps/v1', kind: 'New', name: 'x' }).catch(() => undefined);
    expect(gets.filter((p) => p === '/apis/apps/v1')).toHaveLength(2);
  });

  it('writes the scale back as an autoscaling/v1 Scale to the subresource', async () => {
    const scales = new ScaleClient(fakeApi().client as never);
    const out = (await scales.update({ group: '', version: 'v1', resource: 'replicationcontrollers', scalable: true }, 'ns', { metadata: { name: 'rc', resourceVersion: '7' }, spec: { replicas: 3 } })) as unknown as { path: string; body: unknown };
    expect(out).toEqual({ path: '/api/v1/namespaces/ns/replicationcontrollers/rc/scale', body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'rc', resourceVersion: '7' }, spec: { replicas: 3 } } });
  });

  it('parses API versions and builds scale paths', () => {
    expect(parseGroupVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseGroupVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(scalePath({ group: 'apps', version: 'v1', resource: 'statefulsets' }, 'a b', 'db')).toBe('/apis/apps/v1/namespaces/a%20b/statefulsets/db/scale');
  });
});
