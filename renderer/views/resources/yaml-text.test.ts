import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskSecret, decodeSecretValue } from '../secrets/columns';
import { objectYaml, parseEdited } from './yaml-text';

const TYPE = { apiVersion: 'apps/v1', kind: 'Deployment' };

describe('objectYaml', () => {
  const obj = { metadata: { name: 'web', namespace: 'default', managedFields: [{ manager: 'kubectl' }] }, spec: { replicas: 2 } };
  it('puts apiVersion and kind first and leaves managedFields out', () => {
    const text = objectYaml(TYPE, obj);
    expect(text.startsWith('apiVersion: apps/v1\nkind: Deployment\nmetadata:')).toBe(true);
    expect(text).not.toContain('managedFields');
    expect(parse(text)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 } });
  });
  it('shows managedFields when asked', () => {
    expect(objectYaml(TYPE, obj, { managedFields: true })).toContain('managedFields');
  });
  it('does not change the object', () => {
    objectYaml(TYPE, obj);
    expect(obj.metadata.managedFields).toHaveLength(1);
  });
});

describe('parseEdited', () => {
  const expected = { name: 'web', namespace: 'default' };
  it('returns the edited object', () => {
    const r = parseEdited('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec: {replicas: 4}\n', expected);
    expect(r).toEqual({ ok: true, object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4 } } });
  });
  it.each([
    ['metadata: {name: web\n', /YAML error/],
    ['', /exactly one object/],
    ['metadata: {name: a}\n---\nmetadata: {name: b}', /exactly one object/],
    ['- 1', /not an object/],
    ['kind: X', /metadata is missing/],
    ['metadata: {name: other, namespace: default}', /metadata.name must stay web/],
    ['metadata: {name: web, namespace: prod}', /metadata.namespace must stay default/],
  ])('refuses %j', (text, want) => {
    const r = parseEdited(text, expected);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(want);
  });
  it('accepts a namespaced object whose namespace was left out', () => {
    expect(parseEdited('metadata: {name: web}', expected).ok).toBe(true);
  });
});

describe('secrets', () => {
  it('decodes text values and refuses binary or broken base64', () => {
    expect(decodeSecretValue(btoa('hunter2'))).toBe('hunter2');
    expect(decodeSecretValue('w6k=')).toBe('é');
    expect(decodeSecretValue(btoa('\xff\xfe\x00'))).toBeUndefined();
    expect(decodeSecretValue('***')).toBeUndefined();
  });
  it('masks every value, keeping the keys', () => {
    const masked = maskSecret({ metadata: { name: 's' }, data: { password: btoa('hunter2') }, stringData: { token: 'abc' } });
    expect(JSON.stringify(masked)).not.toContain(btoa('hunter2'));
    expect(JSON.stringify(masked)).not.toContain('abc');
    expect(Object.keys(masked.data!)).toEqual(['password']);
  });
});
