import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { clustersTable, statusView, table } from './format.js';
import { formatElapsed, plainLine } from './progress.js';
import { BuildLog } from '../images/build.js';
import type { ClusterStatus } from '../cluster/cluster.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['30', 30_000],
    ['1.5s', 1500],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5x', 'm5', '1h-3m', 'soon'])('rejects "%s"', (text) => expect(() => parseDuration(text)).toThrow(/duration/));
});

describe('progress lines', () => {
  it('formats elapsed time', () => {
    expect(formatElapsed(850)).toBe('850ms');
    expect(formatElapsed(3240)).toBe('3.2s');
    expect(formatElapsed(65_000)).toBe('1m05s');
  });

  it('prints start and end of steps, details only when verbose', () => {
    expect(plainLine({ step: 'Creating nodes', status: 'start' }, false)).toBe('• Creating nodes ...');
    expect(plainLine({ step: 'Creating nodes', status: 'done', elapsedMs: 1200 }, false)).toBe('✓ Creating nodes (1.2s)');
    expect(plainLine({ step: 'Creating nodes', status: 'fail', elapsedMs: 10 }, false)).toBe('✗ Creating nodes (10ms)');
    expect(plainLine({ step: 'Building', status: 'info', message: 'Step 1/9' }, false)).toBeUndefined();
    expect(plainLine({ step: 'Building', status: 'info', message: 'Step 1/9' }, true)).toBe('  Step 1/9');
  });
});

describe('tables', () => {
  it('aligns columns', () => {
    expect(table(['NAME', 'STATE'], [['dev', 'running'], ['a-longer-name', 'stopped']])).toBe(
      'NAME            STATE\ndev             running\na-longer-name   stopped\n',
    );
  });

  const status: ClusterStatus = {
    name: 'dev',
    state: 'degraded',
    nodes: [
      { name: 'dev-control-plane', cluster: 'dev', role: 'control-plane', index: 0, state: 'running', ip: '172.30.0.2', ports: [{ container: 6443, host: 41000 }], podCIDR: '10.244.0.0/24', ready: true },
      { name: 'dev-worker', cluster: 'dev', role: 'worker', index: 1, state: 'exited', ip: '172.30.0.3', ports: [], podCIDR: '10.244.1.0/24', ready: false },
    ],
  };

  it('lists clusters with their readiness', () => {
    expect(clustersTable([status])).toContain('dev    degraded   2       1/2');
    expect(clustersTable([])).toMatch(/No clusters/);
  });

  it('shows each node with its podCIDR and published ports', () => {
    const view = statusView(status);
    expect(view).toMatch(/^Cluster dev: degraded/);
    expect(view).toMatch(/dev-control-plane\s+control-plane\s+running\s+yes\s+172\.30\.0\.2\s+10\.244\.0\.0\/24\s+127\.0\.0\.1:41000->6443/);
    expect(view).toMatch(/dev-worker\s+worker\s+exited\s+no/);
  });
});

describe('BuildLog', () => {
  it('reports the failing step with its own output only', () => {
    const log = new BuildLog();
    log.push({ stream: 'Step 1/3 : FROM base\n ---> abc\n' });
    log.push({ stream: 'Step 2/3 : RUN apt-get install nope\n' });
    log.push({ stream: ' ---> Running in 123\nE: Unable to locate package nope\n' });
    const err = log.failure('node image', "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100");
    expect(err.message).toBe("node image build failed at Step 2/3 : RUN apt-get install nope: the command returned a non-zero code: 100");
    expect(err.details).toBe('E: Unable to locate package nope');
  });
});
