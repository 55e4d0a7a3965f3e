import { describe, expect, it } from 'vitest';
import {
  claimIsStale,
  claimOwnersUpToDate,
  claimsFor,
  desiredClaimOwners,
  identityMatches,
  inOrdinalRange,
  isMemberOf,
  newPod,
  parentAndOrdinal,
  type Claim,
  type StatefulSet,
} from './statefulset-pods.js';
import type { OwnerRef, Pod } from './workload-util.js';

const set = (o: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'set-1' },
  spec: {
    replicas: 2,
    serviceName: 'nginx',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' }, annotations: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'x' } }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } }],
    ...o,
  },
});
const pod = (name: string, uid = `u-${name}`): Pod => ({ metadata: { name, namespace: 'ns', uid, labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': name } } });
const setRef: OwnerRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-1', controller: true, blockOwnerDeletion: true };
const podRef = (name: string, uid = `u-${name}`): OwnerRef => ({ apiVersion: 'v1', kind: 'Pod', name, uid, controller: true, blockOwnerDeletion: true });
const claim = (refs: OwnerRef[] = []): Claim => ({ metadata: { name: 'data-web-1', namespace: 'ns', uid: 'c-1', ...(refs.length ? { ownerReferences: refs } : {}) } });
const policy = (whenDeleted: string, whenScaled: string) => set({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });

describe('names and ordinals', () => {
  it.each([
    ['web-0', 'web', 0],
    ['my-db-12', 'my-db', 12],
    ['web', '', -1],
    ['web-x', '', -1],
    ['web-99999999999', 'web', -1],
  ])('%s → %s, %i', (name, parent, ordinal) => expect(parentAndOrdinal(name)).toEqual({ parent, ordinal }));

  it('tells members and the wanted range (ordinals.start honoured)', () => {
    expect(isMemberOf(set(), pod('web-3'))).toBe(true);
    expect(isMemberOf(set(), pod('webby-3'))).toBe(false);
    expect(inOrdinalRange(set(), pod('web-1'))).toBe(true);
    expect(inOrdinalRange(set(), pod('web-2'))).toBe(false);
    expect(inOrdinalRange(set({ ordinals: { start: 5 } }), pod('web-6'))).toBe(true);
    expect(inOrdinalRange(set({ ordinals: { start: 5 } }), pod('web-1'))).toBe(false);
  });
});

describe('newPod', () => {
  it('gives the pod its stable identity, labels, owner and claim volumes', () => {
    const p = newPod(set(), set().spec.template!, 1, 'web-abc');
    expect(p.metadata).toEqual({
      name: 'web-1',
      namespace: 'ns',
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': 'web-abc' },
      annotations: { a: '1' },
      ownerReferences: [setRef],
    });
    expect(p.spec).toMatchObject({ hostname: 'web-1', subdomain: 'nginx' });
    // The claim volume replaces the template's volume of the same name and comes first.
    expect(p.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }, { name: 'cfg', configMap: { name: 'x' } }]);
    expect(identityMatches(set(), p)).toBe(true);
  });

  it('leaves out the subdomain without a serviceName', () => {
    expect(newPod(set({ serviceName: undefined }), set().spec.template!, 0, 'r').spec).not.toHaveProperty('subdomain');
  });

  it('sees a pod without its pod-name label as not matching its identity', () => {
    expect(identityMatches(set(), { metadata: { name: 'web-0', namespace: 'ns', labels: { app: 'web' } } })).toBe(false);
  });
});

describe('claimsFor', () => {
  it('names each claim <template>-<set>-<ordinal> with the template labels plus the selector labels, without status', () => {
    expect(claimsFor(set(), 4)).toEqual([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-web-4', namespace: 'ns', labels: { tier: 'db', app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'] } },
    ]);
  });
});

describe('claim retention owners', () => {
  // web-1 is in range with 2 replicas; with 1 replica it has been scaled away.
  const scaled = (s: StatefulSet) => ({ ...s, spec: { ...s.spec, replicas: 1 } });
  it.each([
    ['Retain/Retain in range', policy('Retain', 'Retain'), []],
    ['Retain/Retain scaled down', scaled(policy('Retain', 'Retain')), []],
    ['whenDeleted Delete in range', policy('Delete', 'Retain'), [setRef]],
    ['whenDeleted Delete scaled down', scaled(policy('Delete', 'Retain')), [setRef]],
    ['whenScaled Delete in range', policy('Retain', 'Delete'), []],
    ['whenScaled Delete scaled down', scaled(policy('Retain', 'Delete')), [podRef('web-1')]],
    ['Delete/Delete in range', policy('Delete', 'Delete'), [setRef]],
    ['Delete/Delete scaled down', scaled(policy('Delete', 'Delete')), [podRef('web-1')]],
  ])('%s', (_, s, want) => {
    const fresh = claim();
    expect(desiredClaimOwners(fresh, s, pod('web-1'))).toEqual(want);
    expect(claimOwnersUpToDate(fresh, s, pod('web-1'))).toBe(want.length === 0);
    expect(claimOwnersUpToDate(claim(want), s, pod('web-1'))).toBe(true);
  });

  it('moves the claim from the set to the pod when the pod is scaled away under Delete/Delete', () => {
    const s = { ...policy('Delete', 'Delete'), spec: { ...policy('Delete', 'Delete').spec, replicas: 1 } };
    const c = claim([setRef, { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' }]);
    expect(claimOwnersUpToDate(c, s, pod('web-1'))).toBe(false);
    expect(desiredClaimOwners(c, s, pod('web-1'))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' }, podRef('web-1')]);
  });

  it('turns a plain owner reference of ours into a controller reference', () => {
    const plain = { ...setRef, controller: undefined };
    expect(claimOwnersUpToDate(claim([plain]), policy('Delete', 'Retain'), pod('web-1'))).toBe(false);
    expect(desiredClaimOwners(claim([plain]), policy('Delete', 'Retain'), pod('web-1'))).toEqual([setRef]);
  });

  it('leaves claims controlled by something else alone, and drops our references from them', () => {
    const other: OwnerRef = { apiVersion: 'v1', kind: 'Foo', name: 'f', uid: 'f', controller: true };
    expect(claimOwnersUpToDate(claim([other]), policy('Delete', 'Retain'), pod('web-1'))).toBe(true);
    expect(claimOwnersUpToDate(claim([other, setRef]), policy('Delete', 'Retain'), pod('web-1'))).toBe(false);
    expect(desiredClaimOwners(claim([other, setRef]), policy('Delete', 'Retain'), pod('web-1'))).toEqual([other]);
  });

  it('sees a claim still owned by an earlier pod of the same name as stale under whenScaled Delete only', () => {
    const old = claim([podRef('web-1', 'old-uid')]);
    const fresh = { metadata: { name: 'web-1', namespace: 'ns' } };
    expect(claimIsStale(old, policy('Retain', 'Delete'), fresh)).toBe(true);
    expect(claimIsStale(old, policy('Retain', 'Retain'), fresh)).toBe(false);
    expect(claimIsStale(claim([setRef]), policy('Delete', 'Delete'), fresh)).toBe(false);
    // Left by an earlier namesake: not touched.
    expect(claimOwnersUpToDate(old, policy('Retain', 'Delete'), pod('web-1'))).toBe(true);
  });
});
