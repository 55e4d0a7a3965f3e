import { describe, expect, it } from 'vitest';
import { applySchemaDefaults, customSchemaName, customTypes, fromJsonSchema, type CrdSpec } from './custom-types.js';
import { typeErrors } from './validation.js';
import { json, validJsonPath } from './jsonpath.js';

const crd: CrdSpec = {
  group: 'demo.kubelab.dev',
  scope: 'Namespaced',
  names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
  versions: [
    {
      name: 'v1',
      served: true,
      storage: true,
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      additionalPrinterColumns: [
        { name: 'Size', type: 'string', jsonPath: '.spec.size' },
        { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
      ],
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              required: ['size'],
              properties: {
                size: { type: 'string', enum: ['small', 'large'] },
                replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                port: { 'x-kubernetes-int-or-string': true },
                extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
            status: { type: 'object', properties: { replicas: { type: 'integer' }, conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } } } } },
          },
        },
      },
    },
    { name: 'v1alpha1', served: false, storage: false },
  ],
};

describe('custom resource types', () => {
  const { types, definitions } = customTypes(crd);
  const t = types[0]!;

  it('serves each served version with the CRD names, scope, subresources and a schema name', () => {
    expect(types).toHaveLength(1);
    expect(t).toMatchObject({ group: 'demo.kubelab.dev', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: true, shortNames: ['wd'], custom: true });
    expect(t.subresources).toEqual({ status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
    expect(t.schemaName).toBe(customSchemaName('demo.kubelab.dev', 'v1', 'Widget'));
    expect(t.schemaName).toBe('dev.kubelab.demo.v1.Widget');
    expect(definitions[t.schemaName]!.properties!.metadata!.ref).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  it('prints the additional printer columns, wide ones only with -o wide', () => {
    const obj = { metadata: { name: 'w', creationTimestamp: new Date().toISOString() }, spec: { size: 'small', replicas: 3 }, status: { conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }] } };
    expect(t.columns.map((c) => [c.name, c.cell(obj), Boolean(c.wide)])).toEqual([
      ['Name', 'w', false],
      ['Size', 'small', false],
      ['Ready', 'True', false],
      ['Replicas', 3, true],
      ['Age', '0s', false],
    ]);
  });

  it('defaults from the schema and checks bounds', () => {
    const obj = { metadata: { name: 'w' }, spec: { size: 'small' } };
    applySchemaDefaults(definitions[t.schemaName], obj);
    expect(obj.spec).toEqual({ size: 'small', replicas: 1 });
    expect(typeErrors(definitions[t.schemaName]!, { spec: { size: 'small', replicas: 11 } }, '')).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: 11: spec.replicas in body should be less than or equal to 10' }]);
  });

  it('keeps int-or-string and preserve-unknown-fields semantics', () => {
    const s = fromJsonSchema({ 'x-kubernetes-int-or-string': true });
    expect(s).toMatchObject({ intOrString: true });
    expect(s.type).toBeUndefined();
    expect(fromJsonSchema({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }).preserveUnknown).toBe(true);
  });
});

describe('JSONPath for printer columns', () => {
  const obj = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }, metadata: { labels: { 'app.kubernetes.io/name': 'web' } } };
  it.each([
    ['.spec.containers[0].image', 'x'],
    ['.spec.containers[*].name', 'a,b'],
    ['.spec.containers[?(@.name=="b")].image', 'y'],
    [".metadata.labels['app.kubernetes.io/name']", 'web'],
    ['.spec.missing', undefined],
  ])('%s → %s', (expr, expected) => expect(json(obj, expr)).toEqual(expected));

  it('rejects what it cannot evaluate', () => {
    expect(validJsonPath('.spec.x')).toBe(true);
    expect(validJsonPath('.spec[')).toBe(false);
  });
});
