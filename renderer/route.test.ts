import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, formatRoute, parseRoute, type Route } from './route';

describe('routes', () => {
  it.each<Route>([
    DEFAULT_ROUTE,
    { view: 'resources', cluster: 'dev', namespace: 'default', kind: 'deployments', name: 'default/web' },
    { view: 'resources', cluster: 'dev', namespace: '', kind: 'nodes', name: 'dev-worker' },
    { view: 'topology', cluster: 'dev', namespace: 'kube-system', kind: 'pods' },
    { view: 'logs', cluster: 'dev', namespace: 'default', kind: 'pods', pod: 'default/web-1', container: 'app' },
  ])('round-trips %j', (r) => {
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });

  it('falls back to defaults for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/nowhere?x=1')).toEqual(DEFAULT_ROUTE);
  });

  it('keeps "all namespaces" (empty ns) apart from no ns given', () => {
    expect(parseRoute('#/resources?ns=').namespace).toBe('');
    expect(parseRoute('#/resources').namespace).toBe('default');
  });

  it('escapes names', () => {
    const r: Route = { view: 'resources', cluster: 'dev', namespace: 'a&b', kind: 'pods', name: 'a&b/x y' };
    expect(formatRoute(r)).not.toContain(' ');
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
});
