import { describe, expect, it } from 'vitest';
import type { ApiObject } from '../api/registry.js';
import { admitClaim, admitPersistentVolume, defaultClassOf } from './storage-admission.js';

const DEFAULT = { 'storageclass.kubernetes.io/is-default-class': 'true' };
const sc = (name: string, created: string, annotations?: Record<string, string>): ApiObject => ({ metadata: { name, creationTimestamp: created, annotations }, provisioner: 'x.io/y' });
const claim = (spec: Record<string, unknown>, annotations?: Record<string, string>): ApiObject => ({ metadata: { name: 'data', namespace: 'ns', annotations }, spec: { accessModes: ['ReadWriteOnce'], ...spec } });

describe('defaultClassOf', () => {
  it.each<[string, ApiObject[], string | undefined]>([
    ['no classes', [], undefined],
    ['no default', [sc('a', '2025-01-01T00:00:00Z')], undefined],
    ['the one default', [sc('a', '2025-01-01T00:00:00Z'), sc('b', '2025-01-01T00:00:00Z', DEFAULT)], 'b'],
    ['the beta annotation counts', [sc('b', '2025-01-01T00:00:00Z', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })], 'b'],
    ['"false" is not default', [sc('b', '2025-01-01T00:00:00Z', { 'storageclass.kubernetes.io/is-default-class': 'false' })], undefined],
    ['several defaults: the newest', [sc('old', '2025-01-01T00:00:00Z', DEFAULT), sc('new', '2025-02-01T00:00:00Z', DEFAULT)], 'new'],
    ['same age: first by name', [sc('zeta', '2025-01-01T00:00:00Z', DEFAULT), sc('alpha', '2025-01-01T00:00:00Z', DEFAULT)], 'alpha'],
  ])('%s', (_, classes, want) => expect(defaultClassOf(classes)?.metadata.name).toBe(want));
});

describe('admitClaim', () => {
  const classes = async () => [sc('standard', '2025-01-01T00:00:00Z', DEFAULT), sc('fast', '2025-01-01T00:00:00Z')];
  it.each<[string, ApiObject, unknown, string[]]>([
    ['no class: the default', claim({}), 'standard', ['kubernetes.io/pvc-protection']],
    ['null class: the default', claim({ storageClassName: null }), 'standard', ['kubernetes.io/pvc-protection']],
    ['explicit "" stays without a class', claim({ storageClassName: '' }), '', ['kubernetes.io/pvc-protection']],
    ['a named class stays', claim({ storageClassName: 'fast' }), 'fast', ['kubernetes.io/pvc-protection']],
    ['the beta annotation counts as a class', claim({}, { 'volume.beta.kubernetes.io/storage-class': 'fast' }), undefined, ['kubernetes.io/pvc-protection']],
  ])('%s', async (_, c, wantClass, wantFinalizers) => {
    await admitClaim(c, classes);
    expect((c.spec as Record<string, unknown>).storageClassName).toEqual(wantClass);
    expect(c.metadata.finalizers).toEqual(wantFinalizers);
  });

  it('leaves the class unset without a default, keeps other finalizers once', async () => {
    const c = claim({});
    c.metadata.finalizers = ['example.com/keep', 'kubernetes.io/pvc-protection'];
    await admitClaim(c, async () => [sc('fast', '2025-01-01T00:00:00Z')]);
    expect((c.spec as Record<string, unknown>).storageClassName).toBeUndefined();
    expect(c.metadata.finalizers).toEqual(['example.com/keep', 'kubernetes.io/pvc-protection']);
  });
});

describe('admitPersistentVolume', () => {
  it('adds pv-protection', () => {
    const v: ApiObject = { metadata: { name: 'v' }, spec: {} };
    admitPersistentVolume(v);
    expect(v.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
  });
});
