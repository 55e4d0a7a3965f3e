import { describe, expect, it } from 'vitest';
import { claimInUse, planClaimProtection, planVolumeProtection } from './storage-protection-plan.js';
import type { PersistentVolume, PersistentVolumeClaim } from './storage-util.js';
import type { Pod } from './workload-util.js';

const claim = (o: { deleting?: boolean; finalizers?: string[]; name?: string } = {}): PersistentVolumeClaim => ({
  metadata: { name: o.name ?? 'data', namespace: 'ns', finalizers: o.finalizers ?? ['kubernetes.io/pvc-protection'], ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec: {},
});
const pod = (o: { node?: string; phase?: string; claim?: string; ephemeral?: string; ns?: string; name?: string } = {}): Pod => ({
  metadata: { name: o.name ?? 'web', namespace: o.ns ?? 'ns' },
  spec: {
    nodeName: o.node,
    volumes: [
      { name: 'scratch', emptyDir: {} },
      ...(o.claim ? [{ name: 'v', persistentVolumeClaim: { claimName: o.claim } }] : []),
      ...(o.ephemeral ? [{ name: o.ephemeral, ephemeral: { volumeClaimTemplate: {} } }] : []),
    ],
  },
  status: { phase: o.phase ?? 'Running' },
});

describe('claimInUse', () => {
  it.each<[string, Pod[], boolean]>([
    ['no pods', [], false],
    ['a running pod on a node', [pod({ node: 'n', claim: 'data' })], true],
    ['a pending pod on a node', [pod({ node: 'n', claim: 'data', phase: 'Pending' })], true],
    ['an unscheduled pod', [pod({ claim: 'data' })], false],
    ['a finished pod', [pod({ node: 'n', claim: 'data', phase: 'Succeeded' })], false],
    ['a failed pod', [pod({ node: 'n', claim: 'data', phase: 'Failed' })], false],
    ['a pod using another claim', [pod({ node: 'n', claim: 'logs' })], false],
    ['a pod in another namespace', [pod({ node: 'n', claim: 'data', ns: 'other' })], false],
    ['a generic ephemeral volume of another name', [pod({ node: 'n', name: 'db', ephemeral: 'x' })], false],
  ])('%s', (_, pods, want) => expect(claimInUse(claim(), pods)).toBe(want));

  it('counts the claim of a generic ephemeral volume, named <pod>-<volume>', () => {
    expect(claimInUse(claim({ name: 'db-scratch2' }), [pod({ node: 'n', name: 'db', ephemeral: 'scratch2' })])).toBe(true);
  });
});

describe('planClaimProtection', () => {
  it.each<[string, PersistentVolumeClaim, Pod[], string]>([
    ['live claim with the finalizer', claim(), [], 'keep'],
    ['live claim made before admission added it', claim({ finalizers: [] }), [], 'add'],
    ['deleting, in use', claim({ deleting: true }), [pod({ node: 'n', claim: 'data' })], 'keep'],
    ['deleting, not in use', claim({ deleting: true }), [pod({ node: 'n', claim: 'data', phase: 'Succeeded' })], 'remove'],
    ['deleting without the finalizer', claim({ deleting: true, finalizers: [] }), [], 'keep'],
  ])('%s', (_, c, pods, want) => expect(planClaimProtection(c, pods)).toBe(want));
});

describe('planVolumeProtection', () => {
  const volume = (phase: string, o: { deleting?: boolean; finalizers?: string[] } = {}): PersistentVolume => ({
    metadata: { name: 'v', finalizers: o.finalizers ?? ['kubernetes.io/pv-protection'], ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: {},
    status: { phase },
  });
  it.each<[string, PersistentVolume, string]>([
    ['live volume', volume('Bound'), 'keep'],
    ['live volume without the finalizer', volume('Available', { finalizers: [] }), 'add'],
    ['deleting while Bound', volume('Bound', { deleting: true }), 'keep'],
    ['deleting once Released', volume('Released', { deleting: true }), 'remove'],
    ['deleting while Available', volume('Available', { deleting: true }), 'remove'],
  ])('%s', (_, v, want) => expect(planVolumeProtection(v)).toBe(want));
});
