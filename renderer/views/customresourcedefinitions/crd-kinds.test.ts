import { describe, expect, it } from 'vitest';
import { collectionPath, objectPath } from '../../api/kinds';
import { CRD_COLUMNS, crdKind, crdKinds, formatPrinterValue, groupCrdKinds, isCrdKey, watchedVersion, type CustomResourceDefinition } from './crd-kinds';
import { evalJsonPath, JsonPathError, parseJsonPath } from './json-path';

const T0 = '2024-01-01T00:00:00Z';
const at = (s: number) => Date.parse(T0) + s * 1000;

const widgets: CustomResourceDefinition = {
  metadata: { name: 'widgets.example.com', creationTimestamp: T0 },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', served: true, storage: false, additionalPrinterColumns: [{ name: 'Old', type: 'string', jsonPath: '.spec.old' }] },
      {
        name: 'v1',
        served: true,
        storage: true,
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Colour', type: 'string', jsonPath: '.spec.colour' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
          { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
          { name: 'Built', type: 'date', jsonPath: '.status.builtAt' },
        ],
      },
    ],
  },
};

const widget = {
  metadata: { name: 'w1', namespace: 'lab', creationTimestamp: T0, labels: { 'app.kubernetes.io/name': 'shop' }, annotations: { 'a.b/c': 'x' } },
  spec: { size: 3, colour: 'blue', ratio: 0.5, enabled: false, items: [{ name: 'a' }, { name: 'b' }] },
  status: { builtAt: '2024-01-01T00:00:10Z', conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }] },
};

describe('evalJsonPath', () => {
  it.each([
    ['.spec.size', [3]],
    ['{.spec.colour}', ['blue']],
    ['.status.conditions[0].type', ['Synced']],
    ['.status.conditions[-1].type', ['Ready']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type=='Synced')].status", ['False']],
    ['.spec.items[*].name', ['a', 'b']],
    [".metadata.labels['app.kubernetes.io/name']", ['shop']],
    ['.metadata.annotations.a\\.b/c', ['x']],
    ['.spec.enabled', [false]],
    ['.spec.missing', []],
    ['.status.conditions[7].type', []],
    ['.spec.size.deeper', []],
    ['spec.size', [3]],
  ])('%s', (path, values) => {
    expect(evalJsonPath(widget, path)).toEqual(values);
  });

  it.each(['.spec..size', '.spec[', '.spec[?(@.a>1)]', '.spec.x[1:2]'])('refuses %s', (path) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
  });
});

describe('formatPrinterValue', () => {
  it.each([
    ['integer', 3, '3'],
    ['integer', 2.5, '<none>'],
    ['integer', '3', '<none>'],
    ['number', 0.5, '0.5'],
    ['boolean', false, 'false'],
    ['boolean', 'yes', '<none>'],
    ['string', 'blue', 'blue'],
    ['string', 7, '7'],
    ['string', { a: 1 }, '{"a":1}'],
    ['string', '', '<none>'],
    ['date', '2024-01-01T00:00:00Z', '30s'],
    ['date', 'not a date', 'not a date'],
    ['string', undefined, '<none>'],
  ])('%s %j → %s', (type, value, text) => {
    expect(formatPrinterValue(type, value, at(30))).toBe(text);
  });
});

describe('crdKind', () => {
  it('watches the storage version and makes the kind descriptor', () => {
    const k = crdKind(widgets)!;
    expect(k.key).toBe('widgets.example.com');
    expect(k.version).toBe('v1');
    expect(k.kind).toEqual({ plural: 'widgets', kind: 'Widget', apiVersion: 'example.com/v1', namespaced: true, label: 'Widget', section: 'Custom resources' });
    expect(collectionPath(k.kind, 'lab')).toBe('/apis/example.com/v1/namespaces/lab/widgets');
    expect(collectionPath(k.kind, '')).toBe('/apis/example.com/v1/widgets');
    expect(objectPath(k.kind, 'lab', 'w1')).toBe('/apis/example.com/v1/namespaces/lab/widgets/w1');
  });

  it('columns: Name, the version\'s printer columns, Age, formatted by type', () => {
    const k = crdKind(widgets)!;
    expect(k.columns.map((c) => c.header)).toEqual(['Name', 'Size', 'Colour', 'Ready', 'Ratio', 'Enabled', 'Built', 'Age']);
    expect(k.columns.map((c) => c.text(widget, at(40)))).toEqual(['w1', '3', 'blue', 'True', '0.5', 'false', '30s', '40s']);
    expect(k.columns.filter((c) => c.live).map((c) => c.header)).toEqual(['Built', 'Age']);
    // A bare object (nothing set yet) shows <none> in every printer column.
    expect(k.columns.map((c) => c.text({ metadata: { name: 'w2', creationTimestamp: T0 } }, at(40)))).toEqual(['w2', '<none>', '<none>', '<none>', '<none>', '<none>', '<none>', '40s']);
  });

  it('no second Age when a printer column is one; a broken path shows <none>', () => {
    const crd: CustomResourceDefinition = {
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'gadgets', kind: 'Gadget' },
        scope: 'Cluster',
        versions: [{ name: 'v1', served: true, storage: true, additionalPrinterColumns: [{ name: 'Bad', type: 'string', jsonPath: '.spec[' }, { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' }] }],
      },
    };
    const k = crdKind(crd)!;
    expect(k.kind.namespaced).toBe(false);
    expect(k.columns.map((c) => c.header)).toEqual(['Name', 'Bad', 'AGE']);
    expect(k.columns.map((c) => c.text(widget, at(60)))).toEqual(['w1', '<none>', '60s']);
  });

  it('falls back to the first served version when the storage version is not served; none served → no kind', () => {
    const notServed = { ...widgets, spec: { ...widgets.spec, versions: [{ name: 'v2', served: true }, { name: 'v1', served: false, storage: true }] } };
    expect(watchedVersion(notServed)?.name).toBe('v2');
    expect(crdKind({ ...widgets, spec: { ...widgets.spec, versions: [{ name: 'v1', served: false, storage: true }] } })).toBeUndefined();
    expect(crdKind({ metadata: { name: 'x' }, spec: { group: 'g' } })).toBeUndefined();
  });

  it('lists by group then kind, without CRDs being deleted, and groups them', () => {
    const mk = (plural: string, kind: string, group: string, deleting = false): CustomResourceDefinition => ({
      metadata: { name: `${plural}.${group}`, ...(deleting ? { deletionTimestamp: T0 } : {}) },
      spec: { group, names: { plural, kind }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
    });
    const kinds = crdKinds([mk('zebras', 'Zebra', 'b.io'), mk('apples', 'Apple', 'b.io'), mk('things', 'Thing', 'a.io'), mk('gone', 'Gone', 'a.io', true)]);
    expect(kinds.map((k) => k.key)).toEqual(['things.a.io', 'apples.b.io', 'zebras.b.io']);
    expect(groupCrdKinds(kinds).map((g) => [g.group, g.kinds.map((k) => k.kind.kind)])).toEqual([
      ['a.io', ['Thing']],
      ['b.io', ['Apple', 'Zebra']],
    ]);
    expect(kinds[0]!.columns.map((c) => c.header)).toEqual(['Name', 'Age']);
  });

  it('tells CRD route keys from built-in plurals', () => {
    expect(isCrdKey('widgets.example.com')).toBe(true);
    expect(isCrdKey('pods')).toBe(false);
  });
});

describe('CRD_COLUMNS', () => {
  it('name, group, served versions, scope, kind, age', () => {
    expect(CRD_COLUMNS.map((c) => c.header)).toEqual(['Name', 'Group', 'Versions', 'Scope', 'Kind', 'Age']);
    expect(CRD_COLUMNS.map((c) => c.text(widgets, at(90)))).toEqual(['widgets.example.com', 'example.com', 'v1alpha1,v1', 'Namespaced', 'Widget', '90s']);
  });
});
