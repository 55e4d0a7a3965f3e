import { describe, expect, it } from 'vitest';
import { cordonPatch, restartPatch, RESTARTED_AT, scalePatch, withTypeMeta } from './k8s';
import { collectionPath, k8sUrl, kindByPlural, objectKey, objectPath, KINDS } from './kinds';

describe('paths', () => {
  const pods = kindByPlural('pods')!;
  const deployments = kindByPlural('deployments')!;
  const nodes = kindByPlural('nodes')!;
  it.each([
    [collectionPath(pods, 'default'), '/api/v1/namespaces/default/pods'],
    [collectionPath(pods, ''), '/api/v1/pods'],
    [collectionPath(deployments, 'shop'), '/apis/apps/v1/namespaces/shop/deployments'],
    [collectionPath(nodes, 'default'), '/api/v1/nodes'],
    [objectPath(pods, 'default', 'web-1', 'log'), '/api/v1/namespaces/default/pods/web-1/log'],
    [objectPath(nodes, undefined, 'n1'), '/api/v1/nodes/n1'],
    [objectPath(kindByPlural('cronjobs')!, 'a b', 'x'), '/apis/batch/v1/namespaces/a%20b/cronjobs/x'],
    [k8sUrl('dev', '/api/v1/pods'), '/k8s/dev/api/v1/pods'],
  ])('%s', (got, want) => {
    expect(got).toBe(want);
  });

  it('every kind of the sidebar has a unique plural', () => {
    expect(new Set(KINDS.map((k) => k.plural)).size).toBe(KINDS.length);
  });

  it('keys objects by uid, else namespace/name', () => {
    expect(objectKey({ metadata: { name: 'a', uid: 'u1' } })).toBe('u1');
    expect(objectKey({ metadata: { name: 'a', namespace: 'ns' } })).toBe('ns/a');
  });
});

describe('action patches', () => {
  it('scale sets spec.replicas', () => {
    expect(scalePatch(5)).toEqual({ spec: { replicas: 5 } });
  });
  it('restart stamps the pod template like kubectl rollout restart', () => {
    const at = new Date('2024-02-03T04:05:06Z');
    expect(restartPatch(at)).toEqual({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: '2024-02-03T04:05:06.000Z' } } } } });
    expect(RESTARTED_AT).toBe('kubectl.kubernetes.io/restartedAt');
  });
  it('cordon sets unschedulable; uncordon removes it (merge patch null)', () => {
    expect(cordonPatch(true)).toEqual({ spec: { unschedulable: true } });
    expect(cordonPatch(false)).toEqual({ spec: { unschedulable: null } });
  });
  it('withTypeMeta fills kind and apiVersion but keeps given ones', () => {
    const d = kindByPlural('deployments')!;
    expect(withTypeMeta(d, { metadata: { name: 'x' } })).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(withTypeMeta(d, { apiVersion: 'apps/v1beta9', metadata: { name: 'x' } }).apiVersion).toBe('apps/v1beta9');
  });
});
