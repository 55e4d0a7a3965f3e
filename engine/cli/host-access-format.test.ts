import { describe, expect, it } from 'vitest';
import type { ForwarderReport } from '../forwarder/host-access.js';
import { NoHostPortError, serviceUrls } from '../forwarder/service-urls.js';
import { serviceArgs } from './commands/service.js';
import { forwarderView, openerCommand, serviceUrlsView, serviceUrlWarnings } from './host-access-format.js';

const files = { dir: '/h/clusters/dev', pidFile: '/h/clusters/dev/forwarder.pid', statusFile: '/h/clusters/dev/forwarder.json', logFile: '/h/clusters/dev/forwarder.log' };

describe('serviceUrls', () => {
  it('gives a URL per TCP node port, and a LoadBalancer\'s own ports', () => {
    const urls = serviceUrls({
      metadata: { name: 'web', namespace: 'shop' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { port: 53, protocol: 'UDP', nodePort: 30053 }, { port: 8443, nodePort: 31443 }] },
    });
    expect(urls.map((u) => [u.target, u.url])).toEqual([
      ['http', 'http://127.0.0.1:30080'],
      ['http', 'http://127.0.0.1:80'],
      ['8443', 'http://127.0.0.1:31443'],
      ['8443', 'http://127.0.0.1:8443'],
    ]);
  });

  it('refuses a ClusterIP Service with what to do instead', () => {
    const err = (() => {
      try {
        serviceUrls({ metadata: { name: 'db', namespace: 'default' }, spec: { type: 'ClusterIP', ports: [{ port: 5432 }] } });
      } catch (e) {
        return e as NoHostPortError;
      }
    })();
    expect(err).toBeInstanceOf(NoHostPortError);
    expect(err!.message).toBe('service default/db is of type ClusterIP and has no node port');
    expect(err!.hint).toMatch(/kubectl expose .*--type=NodePort/);
    expect(err!.hint).toMatch(/kubectl port-forward -n default service\/db/);
  });

  it('refuses a NodePort Service with UDP ports only', () => {
    expect(() => serviceUrls({ metadata: { name: 'dns' }, spec: { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP', nodePort: 30053 }] } })).toThrow(/no TCP node port/);
  });
});

describe('kubelab service output', () => {
  const urls = serviceUrls({ metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { port: 443, nodePort: 30443 }] } });

  it('prints a table, or bare URLs with --url', () => {
    expect(serviceUrlsView(urls, true)).toBe('http://127.0.0.1:30080\nhttp://127.0.0.1:30443\n');
    expect(serviceUrlsView(urls, false)).toBe(
      'NAMESPACE   NAME   TARGET PORT   URL\n' + 'default     web    http          http://127.0.0.1:30080\n' + 'default     web    443           http://127.0.0.1:30443\n',
    );
  });

  it('warns when the forwarder is down or a port of the Service failed', () => {
    expect(serviceUrlWarnings('dev', urls, { running: false, files })).toEqual([expect.stringMatching(/forwarder of cluster "dev" is not running.*kubelab start --name dev/)]);
    const report: ForwarderReport = {
      running: true,
      pid: 7,
      files,
      status: { pid: 7, cluster: 'dev', startedAt: '', updatedAt: '', watching: true, forwarded: [], failed: [{ hostPort: 30443, service: 'default/web', error: 'host port 127.0.0.1:30443 is in use by another program', since: '' }] },
    };
    expect(serviceUrlWarnings('dev', urls, report)).toEqual(['http://127.0.0.1:30443 does not answer: host port 127.0.0.1:30443 is in use by another program']);
  });

  it('parses NAME, -n and --cluster', () => {
    expect(serviceArgs({}, ['web'])).toEqual({ name: 'web', namespace: 'default', cluster: 'kubelab' });
    expect(serviceArgs({ namespace: 'shop', cluster: 'dev' }, ['web'])).toEqual({ name: 'web', namespace: 'shop', cluster: 'dev' });
    expect(() => serviceArgs({}, [])).toThrow(/name the Service/);
    expect(() => serviceArgs({}, ['a', 'b'])).toThrow(/too many arguments/);
  });

  it('opens URLs with the platform\'s opener', () => {
    expect(openerCommand('linux', 'http://127.0.0.1:1')).toEqual({ file: 'xdg-open', args: ['http://127.0.0.1:1'] });
    expect(openerCommand('darwin', 'http://127.0.0.1:1')).toEqual({ file: 'open', args: ['http://127.0.0.1:1'] });
    expect(openerCommand('win32', 'http://127.0.0.1:1')).toEqual({ file: 'cmd', args: ['/c', 'start', '""', 'http://127.0.0.1:1'] });
  });
});

describe('forwarder in kubelab status', () => {
  it('says whether it runs and lists each failed port', () => {
    expect(forwarderView({ running: false, files })).toBe('\nHost port forwarder: not running\n');
    const view = forwarderView({
      running: true,
      pid: 99,
      files,
      status: {
        pid: 99, cluster: 'dev', startedAt: '', updatedAt: '', watching: false,
        forwarded: [{ hostPort: 30080, nodePort: 30080, service: 'default/web', portName: '', via: 'NodePort' }],
        failed: [{ hostPort: 8080, service: 'default/lb', error: 'host port 127.0.0.1:8080 is in use by another program', since: '' }],
        lastError: { message: 'listing failed', at: '2024-01-01T00:00:00Z' },
      },
    });
    expect(view).toContain('Host port forwarder: running (pid 99), 1 port(s) forwarded on 127.0.0.1, not reaching the API server');
    expect(view).toContain('  failed: 127.0.0.1:8080 (default/lb): host port 127.0.0.1:8080 is in use by another program');
    expect(view).toContain('  last error (2024-01-01T00:00:00Z): listing failed');
    expect(view).toContain('  log: /h/clusters/dev/forwarder.log');
  });
});
