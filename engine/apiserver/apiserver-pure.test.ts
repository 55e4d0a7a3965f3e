import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../api/registry.js';
import { StoreError } from '../store/errors.js';
import { coreVersions, resourceList, versionInfo } from './discovery.js';
import { parseResourcePath } from './request.js';
import { fromStoreError, invalid } from './status.js';
import { tableVersion, toTable, wantsTable } from './table.js';

describe('resource paths', () => {
  it.each([
    ['/api/v1/namespaces', { group: '', version: 'v1', resource: 'namespaces' }],
    ['/api/v1/namespaces/demo', { group: '', version: 'v1', resource: 'namespaces', name: 'demo' }],
    ['/api/v1/namespaces/demo/configmaps', { group: '', version: 'v1', namespace: 'demo', resource: 'configmaps' }],
    ['/api/v1/namespaces/demo/pods/web/log', { group: '', version: 'v1', namespace: 'demo', resource: 'pods', name: 'web', subresource: 'log' }],
    ['/apis/apps/v1/namespaces/d/deployments/x/scale', { group: 'apps', version: 'v1', namespace: 'd', resource: 'deployments', name: 'x', subresource: 'scale' }],
    ['/apis/apps/v1/deployments', { group: 'apps', version: 'v1', resource: 'deployments' }],
  ])('%s', (path, expected) => {
    expect(parseResourcePath(path)).toEqual(expect.objectContaining(expected));
  });

  it('is undefined for discovery and other paths', () => {
    for (const p of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/healthz', '/']) expect(parseResourcePath(p)).toBeUndefined();
  });
});

describe('discovery', () => {
  it('says which Kubernetes it serves', () => {
    expect(versionInfo()).toMatchObject({ major: '1', minor: '34', gitVersion: 'v1.34.0+kubelab.0.1.0' });
    expect(coreVersions()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('lists core resources with verbs and short names', () => {
    const list = resourceList('', 'v1') as { resources: Array<{ name: string; shortNames?: string[]; namespaced: boolean; verbs: string[] }> };
    const cm = list.resources.find((r) => r.name === 'configmaps');
    expect(cm).toMatchObject({ shortNames: ['cm'], namespaced: true });
    expect(cm?.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']));
    expect(resourceList('nope', 'v1')).toBeUndefined();
  });
});

describe('tables', () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  it('notices kubectl asking for a table', () => {
    expect(wantsTable(accept)).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(tableVersion(accept)).toBe('meta.k8s.io/v1');
  });

  it('prints the columns users know', () => {
    const cmType = RESOURCES.find((r) => r.kind === 'ConfigMap')!;
    const t = toTable(cmType, [{ metadata: { name: 'app', creationTimestamp: new Date(Date.now() - 5000).toISOString() }, data: { a: '1', b: '2' } }], { apiVersion: 'meta.k8s.io/v1', resourceVersion: '7' }) as {
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(t.rows[0]?.cells.slice(0, 2)).toEqual(['app', 2]);
    expect(String(t.rows[0]?.cells[2])).toMatch(/^\d+s$/);
  });
});

describe('Status errors', () => {
  const s = { resource: 'configmaps', kind: 'ConfigMap', group: '', name: 'app' };
  it.each([
    ['NotFound', 404, 'configmaps "app" not found'],
    ['AlreadyExists', 409, 'configmaps "app" already exists'],
    ['Conflict', 409, 'Operation cannot be fulfilled on configmaps "app"'],
    ['Expired', 410, ''],
    ['TooLarge', 413, ''],
    ['QuotaExceeded', 507, ''],
    ['Unavailable', 503, ''],
  ] as const)('%s → %i', (reason, code, message) => {
    const e = fromStoreError(new StoreError(reason, 'x'), s);
    expect(e.status.code).toBe(code);
    expect(e.status.message).toContain(message);
  });

  it('summarises every invalid field', () => {
    const e = invalid(s, [
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value' },
      { reason: 'FieldValueInvalid', field: 'data[x y]', message: 'Invalid value: "x y"' },
    ]);
    expect(e.status).toMatchObject({ code: 422, reason: 'Invalid', details: { kind: 'ConfigMap', name: 'app' } });
    expect(e.status.message).toBe('ConfigMap "app" is invalid: [metadata.name: Required value, data[x y]: Invalid value: "x y"]');
  });
});
