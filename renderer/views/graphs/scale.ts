// Chart arithmetic, kept pure for tests: value axes with round ticks, the time axis of the last ten
// minutes, SVG paths that break where samples are missing, and value text with units.
import type { Sample } from './history';

/** Maps a domain [d0, d1] linearly onto a range [r0, r1] (a flat domain maps to r0). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** A value axis from 0: its top and its ticks (0 included, top included), and the step between them. */
export interface ValueAxis {
  max: number;
  step: number;
  ticks: number[];
}

/**
 * A value axis from 0 that holds `dataMax` (at least `minMax`, so a quiet series is not blown up
 * to full height) in about `count` round steps (1, 2, 2.5 or 5 times a power of ten).
 */
export function valueAxis(dataMax: number, minMax: number, count = 4): ValueAxis {
  const top = Math.max(Number.isFinite(dataMax) ? dataMax : 0, minMax, Number.MIN_VALUE);
  const raw = top / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
  const n = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: n + 1 }, (_, i) => roundTo(i * step, step));
  return { max: ticks[ticks.length - 1]!, step, ticks };
}

/** Decimals that show a multiple of `step` exactly (0 for whole steps, 2 for 0.25). */
export function decimalsFor(step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 6;
}

function roundTo(v: number, step: number): number {
  const d = decimalsFor(step);
  return Number(v.toFixed(d));
}

/** A tick label of a value axis with `step` between ticks. */
export function tickLabel(v: number, step: number): string {
  return v.toFixed(decimalsFor(step));
}

/** Time ticks of the window [to - spanMs, to]: every `everyMs`, labelled by how long ago ("now", "-2m"). */
export function timeTicks(to: number, spanMs: number, everyMs = 2 * 60 * 1000): Array<{ t: number; label: string }> {
  const out: Array<{ t: number; label: string }> = [];
  for (let ago = 0; ago <= spanMs + 1e-6; ago += everyMs) {
    const minutes = Math.round(ago / 60000);
    out.unshift({ t: to - ago, label: ago === 0 ? 'now' : `-${minutes}m` });
  }
  return out;
}

/**
 * The SVG path of `samples` (sorted by time) through `x` and `y`: a line segment between samples
 * at most `maxGap` ms apart, a new subpath after a longer gap (a node that did not report).
 */
export function linePath(samples: readonly Sample[], x: (t: number) => number, y: (v: number) => number, maxGap: number): string {
  let d = '';
  let prev: Sample | undefined;
  for (const s of samples) {
    const cmd = prev && s.t - prev.t <= maxGap ? 'L' : 'M';
    d += `${d ? ' ' : ''}${cmd}${x(s.t).toFixed(1)},${y(s.v).toFixed(1)}`;
    prev = s;
  }
  return d;
}

/** Three significant digits, without trailing zeros ("0.253", "12.5", "1230"). */
function significant(v: number): string {
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return String(Number(v.toFixed(Math.min(digits, 6))));
}

/** CPU cores as text with the unit ("0.253 cores", "1 core"). */
export function formatCores(cores: number): string {
  const text = significant(cores);
  return `${text} ${text === '1' ? 'core' : 'cores'}`;
}

/** MiB as text with the unit ("12.5 MiB"). */
export function formatMiB(mib: number): string {
  return `${significant(mib)} MiB`;
}

/** A clock time of day for hover text ("14:03:25"), in the viewer's time zone. */
export function clockTime(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
