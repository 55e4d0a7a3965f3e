import { describe, expect, it } from 'vitest';
import { openApiV3, openApiV3Index } from './openapi.js';
import { DEFINITIONS, RESOURCES } from './registry.js';

describe('OpenAPI v3', () => {
  const doc = openApiV3('', 'v1') as { paths: Record<string, Record<string, { parameters?: Array<{ name: string }>; 'x-kubernetes-group-version-kind'?: unknown }>>; components: { schemas: Record<string, Record<string, unknown>> } };

  it('indexes every served group-version with a content hash', () => {
    const index = openApiV3Index() as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    expect(index.paths['apis/coordination.k8s.io/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/coordination\.k8s\.io\/v1\?hash=/);
    expect(openApiV3('nope', 'v1')).toBeUndefined();
  });

  it('describes every path with its kind, and the write parameters kubectl checks for', () => {
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(patch?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
    expect(doc.paths['/api/v1/namespaces/{name}']?.put).toBeDefined();
  });

  it('has a schema per kind, tagged with its group-version-kind, with every field the registry knows', () => {
    for (const t of RESOURCES) {
      const gvDoc = openApiV3(t.group, t.version) as typeof doc;
      const s = gvDoc.components.schemas[t.schemaName] as { properties: Record<string, unknown>; 'x-kubernetes-group-version-kind': unknown };
      expect(s['x-kubernetes-group-version-kind']).toEqual([{ group: t.group, version: t.version, kind: t.kind }]);
      expect(Object.keys(s.properties).sort()).toEqual(['apiVersion', 'kind', ...Object.keys(DEFINITIONS[t.schemaName]!.properties!)].sort());
    }
    const meta = doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] as { properties: Record<string, unknown> };
    expect(Object.keys(meta.properties)).toEqual(Object.keys(DEFINITIONS['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!));
  });
});
