import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../route';
import { historyUrl, mergeHistory, nextSince, nodeSeries, podSeries, sampleAt, summary, topByCpu, WINDOW_MS, type HistoryPoint } from './history';
import { contrast, PANEL, seriesColour, SERIES_COLOURS } from './palette';
import { decimalsFor, formatCores, formatMiB, linear, linePath, tickLabel, timeTicks, valueAxis } from './scale';

const T = 1_700_000_000_000;
const point = (s: number, node?: [number, number], pods: Record<string, [number, number]> = {}): HistoryPoint => ({
  at: T + s * 1000,
  ...(node ? { node: { cpu: node[0], memory: node[1] } } : {}),
  pods: Object.fromEntries(Object.entries(pods).map(([k, [cpu, memory]]) => [k, { cpu, memory }])),
});

describe('merging incremental fetches', () => {
  it('adds new points in time order, replaces a refetched one, and asks from the newest', () => {
    const held = [point(0, [1, 1]), point(5, [2, 2])];
    const merged = mergeHistory(held, [point(10, [3, 3]), point(5, [9, 9])], T + 10_000);
    expect(merged.map((p) => [p.at - T, p.node?.cpu])).toEqual([[0, 1], [5000, 9], [10000, 3]]);
    expect(nextSince(merged)).toBe(T + 10_000);
    expect(nextSince([])).toBe(0);
  });

  it('keeps at most the window, by the viewer clock', () => {
    const held = [point(0, [1, 1]), point(300, [1, 1]), point(600, [1, 1])];
    const merged = mergeHistory(held, [point(605, [1, 1])], T + 605_000);
    expect(merged.map((p) => (p.at - T) / 1000)).toEqual([300, 600, 605]);
    expect(WINDOW_MS).toBe(600_000);
  });

  it('returns the same array when nothing changed, so React skips the render', () => {
    const held = [point(0, [1, 1])];
    expect(mergeHistory(held, [], T + 1000)).toBe(held);
    expect(mergeHistory(held, [], T + WINDOW_MS + 1)).toEqual([]);
  });

  it('builds the proxied history URL', () => {
    expect(historyUrl('dev', 'dev-worker', 0)).toBe('/k8s/dev/api/v1/nodes/dev-worker/proxy/stats/history?since=0');
    expect(historyUrl('a b', 'n/1', 12.7)).toBe('/k8s/a%20b/api/v1/nodes/n%2F1/proxy/stats/history?since=12');
  });
});

describe('series', () => {
  it('gives node CPU in cores and memory in MiB, skipping points without node figures', () => {
    const s = nodeSeries('n1', [point(0), point(5, [250_000_000, 512 * 2 ** 20])]);
    expect(s.cpu).toEqual({ key: 'n1', label: 'n1', samples: [{ t: T + 5000, v: 0.25 }] });
    expect(s.memory.samples).toEqual([{ t: T + 5000, v: 512 }]);
  });

  it('gathers each pod across nodes, filters by namespace and ranks by latest CPU', () => {
    const n1 = [point(0, undefined, { 'a/web': [1e8, 2 ** 20], 'b/db': [5e8, 2 ** 21] }), point(5, undefined, { 'a/web': [2e9, 2 ** 20] })];
    const n2 = [point(10, undefined, { 'a/web': [3e8, 2 ** 20], 'a/idle': [0, 2 ** 20] })];
    const all = podSeries([n1, n2], () => true);
    expect(all.map((p) => p.key).sort()).toEqual(['a/idle', 'a/web', 'b/db']);
    const web = all.find((p) => p.key === 'a/web')!;
    expect(web.cpu.samples.map((s) => s.v)).toEqual([0.1, 2, 0.3]);
    expect(web).toMatchObject({ namespace: 'a', name: 'web', latestCpu: 0.3 });
    expect(podSeries([n1, n2], (ns) => ns === 'b').map((p) => p.key)).toEqual(['b/db']);
    expect(topByCpu(all, 2).map((p) => p.key)).toEqual(['b/db', 'a/web']);
    expect(topByCpu(all, 0)).toEqual([]);
  });

  it('finds the sample nearest a hovered time, not across a gap', () => {
    const samples = [{ t: 0, v: 1 }, { t: 5000, v: 2 }, { t: 10_000, v: 3 }, { t: 60_000, v: 4 }];
    expect(sampleAt(samples, 6000)).toEqual({ t: 5000, v: 2 });
    expect(sampleAt(samples, 8000)).toEqual({ t: 10_000, v: 3 });
    expect(sampleAt(samples, 7500)).toEqual({ t: 5000, v: 2 });
    expect(sampleAt(samples, 30_000)).toBeUndefined();
    expect(sampleAt(samples, -100)).toEqual({ t: 0, v: 1 });
    expect(sampleAt([], 0)).toBeUndefined();
    expect(summary(samples)).toEqual({ latest: 4, peak: 4 });
    expect(summary([])).toBeUndefined();
  });
});

describe('axes', () => {
  it.each([
    [0, 0.1, { max: 0.1, step: 0.025 }],
    [0.9, 0.1, { max: 1, step: 0.25 }],
    [1.7, 0.1, { max: 2, step: 0.5 }],
    [3.2, 0.1, { max: 4, step: 1 }],
    [130, 16, { max: 150, step: 50 }],
    [512, 16, { max: 600, step: 200 }],
    [1000, 16, { max: 1000, step: 250 }],
    [Number.NaN, 4, { max: 4, step: 1 }],
  ])('holds %s (at least %s) in round steps', (dataMax, minMax, expected) => {
    const axis = valueAxis(dataMax, minMax);
    expect(axis).toMatchObject(expected);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.max);
    expect(axis.max).toBeGreaterThanOrEqual(Number.isNaN(dataMax) ? minMax : dataMax);
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
  });

  it('labels ticks with the decimals their step needs', () => {
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(50)).toBe(0);
    expect(valueAxis(0.9, 0.1).ticks.map((v) => tickLabel(v, 0.25))).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
  });

  it('marks the last ten minutes every two minutes, by how long ago', () => {
    expect(timeTicks(T, WINDOW_MS)).toEqual([
      { t: T - 600_000, label: '-10m' },
      { t: T - 480_000, label: '-8m' },
      { t: T - 360_000, label: '-6m' },
      { t: T - 240_000, label: '-4m' },
      { t: T - 120_000, label: '-2m' },
      { t: T, label: 'now' },
    ]);
  });

  it('maps linearly, and a flat domain to the start', () => {
    const y = linear(0, 2, 100, 0);
    expect([y(0), y(1), y(2)]).toEqual([100, 50, 0]);
    expect(linear(5, 5, 10, 20)(7)).toBe(10);
  });

  it('draws lines that break where samples are missing', () => {
    const x = (t: number) => t / 1000;
    const y = (v: number) => 100 - v;
    expect(linePath([{ t: 0, v: 0 }, { t: 5000, v: 10 }, { t: 30_000, v: 20 }, { t: 35_000, v: 5 }], x, y, 10_000)).toBe('M0.0,100.0 L5.0,90.0 M30.0,80.0 L35.0,95.0');
    expect(linePath([], x, y, 10_000)).toBe('');
  });

  it('writes values with units', () => {
    expect(formatCores(0.25345)).toBe('0.253 cores');
    expect(formatCores(1)).toBe('1 core');
    expect(formatCores(0)).toBe('0 cores');
    expect(formatMiB(12.54)).toBe('12.5 MiB');
    expect(formatMiB(1234.4)).toBe('1234 MiB');
  });
});

describe('colours', () => {
  it.each(['light', 'dark'] as const)('every %s series colour has 3:1 contrast against the panel', (scheme) => {
    for (const c of SERIES_COLOURS[scheme]) expect(contrast(c, PANEL[scheme]), c).toBeGreaterThanOrEqual(3);
    expect(new Set(SERIES_COLOURS[scheme]).size).toBe(SERIES_COLOURS[scheme].length);
  });

  it('computes WCAG contrast and cycles colours', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#777777')).toBe(1);
    expect(seriesColour(SERIES_COLOURS.light.length + 1, 'light')).toBe(SERIES_COLOURS.light[1]);
  });
});

describe('the graphs route', () => {
  it('is a main view that survives a reload', () => {
    const r = parseRoute('#/graphs?cluster=dev&ns=');
    expect(r).toMatchObject({ view: 'graphs', cluster: 'dev', namespace: '' });
    expect(parseRoute(formatRoute(r))).toEqual(r);
  });
});
