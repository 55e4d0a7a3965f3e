import { describe, expect, it } from 'vitest';
import { controllerKey } from './workload-util.js';

const owners = new Map([['ns/web', { metadata: { uid: 'u1' } }]]);
const cache = { get: (key: string) => owners.get(key) };
const ref = (kind: string, name: string, uid: string, controller = true) => ({ apiVersion: 'apps/v1', kind, name, uid, controller });
const obj = (...refs: object[]) => ({ metadata: { namespace: 'ns', ownerReferences: refs } });

describe('controllerKey', () => {
  it.each([
    ['the cached controller of that kind', obj(ref('ReplicaSet', 'web', 'u1')), 'ns/web'],
    ['a namesake with another uid', obj(ref('ReplicaSet', 'web', 'u2')), undefined],
    ['a controller of another kind', obj(ref('StatefulSet', 'web', 'u1')), undefined],
    ['an owner that does not control', obj(ref('ReplicaSet', 'web', 'u1', false)), undefined],
    ['a controller not in the cache', obj(ref('ReplicaSet', 'api', 'u1')), undefined],
    ['no owners', { metadata: { namespace: 'ns' } }, undefined],
  ])('%s', (_, o, want) => {
    expect(controllerKey(o, 'ReplicaSet', cache)).toBe(want);
  });
});
