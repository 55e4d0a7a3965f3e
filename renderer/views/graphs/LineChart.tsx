// A line chart in plain SVG: value axis from 0 with its unit, the last ten minutes as the time axis,
// one line per series with a legend, and hover (pointer) showing each series' value at that time.
// The SVG is one image for assistive technology (role="img") whose label says what the lines show.
import { useEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { GAP_MS, sampleAt, summary, WINDOW_MS, type Series } from './history';
import { seriesColour } from './palette';
import { clockTime, linear, linePath, tickLabel, timeTicks, valueAxis } from './scale';
import { useScheme } from './use-scheme';

/** What a chart shows. */
export interface LineChartProps {
  /** "CPU" or "Memory". */
  title: string;
  /** Whose figures, for the accessible label ("node dev-worker"). */
  subject: string;
  /** The unit of the value axis ("cores", "MiB"). */
  unit: string;
  series: readonly Series[];
  /** Right edge of the time axis (ms); the chart spans the ten minutes before it. */
  to: number;
  /** The smallest top of the value axis, so idle series stay near the bottom. */
  minMax: number;
  /** A value as text with its unit. */
  format(v: number): string;
  height?: number;
}

const M = { left: 46, right: 12, top: 10, bottom: 22 };

/** The width of an element, following resizes (ResizeObserver). */
function useWidth<T extends Element>(initial: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** The accessible description of a chart: what it shows and each series' latest and peak values. */
function describe(p: LineChartProps): string {
  const parts = p.series.map((s) => {
    const sum = summary(s.samples);
    const who = p.series.length > 1 ? `${s.label}: ` : '';
    return sum ? `${who}now ${p.format(sum.latest)}, peak ${p.format(sum.peak)}` : `${who}no samples`;
  });
  return `${p.title} of ${p.subject} in ${p.unit} over the last 10 minutes. ${parts.join('; ')}.`;
}

/** A line chart of `series` over the ten minutes before `to`. */
export function LineChart(props: LineChartProps) {
  const { title, unit, series, to, minMax, format, height = 180 } = props;
  const scheme = useScheme();
  const [box, width] = useWidth<HTMLDivElement>(420);
  const [hoverT, setHoverT] = useState<number>();
  const from = to - WINDOW_MS;
  const innerW = Math.max(10, width - M.left - M.right);
  const innerH = height - M.top - M.bottom;
  const dataMax = Math.max(0, ...series.flatMap((s) => s.samples.filter((x) => x.t >= from).map((x) => x.v)));
  const axis = useMemo(() => valueAxis(dataMax, minMax), [dataMax, minMax]);
  const x = linear(from, to, M.left, M.left + innerW);
  const y = linear(0, axis.max, M.top + innerH, M.top);
  const label = describe(props);

  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    if (px < M.left || px > M.left + innerW) return setHoverT(undefined);
    setHoverT(linear(M.left, M.left + innerW, from, to)(px));
  };

  // Hover: the nearest sample of each series (not across a gap), shown at the first one's time.
  const hovered = hoverT === undefined ? [] : series.map((s, i) => ({ s, i, at: sampleAt(s.samples, hoverT) })).filter((h) => h.at);
  const hoverAt = hovered[0]?.at?.t;
  const tipLines = hoverAt === undefined ? [] : [clockTime(hoverAt), ...hovered.map((h) => `${series.length > 1 ? `${h.s.label}: ` : ''}${format(h.at!.v)}`)];
  const tipW = Math.max(...tipLines.map((l) => l.length), 0) * 6.6 + 14;
  const tipH = tipLines.length * 15 + 8;
  const tipX = hoverAt === undefined ? 0 : x(hoverAt) + 10 + tipW > M.left + innerW ? x(hoverAt) - 10 - tipW : x(hoverAt) + 10;

  return (
    <figure className="chart">
      <figcaption className="chart-title">
        {title} <span className="muted">({unit})</span>
      </figcaption>
      <div ref={box} className="chart-box">
        <svg
          role="img"
          aria-label={label}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="chart-svg"
          onPointerMove={onMove}
          onPointerLeave={() => setHoverT(undefined)}
        >
          {axis.ticks.map((v) => (
            <g key={v}>
              <line className="chart-grid" x1={M.left} x2={M.left + innerW} y1={y(v)} y2={y(v)} />
              <text className="chart-tick" x={M.left - 6} y={y(v) + 4} textAnchor="end">
                {tickLabel(v, axis.step)}
              </text>
            </g>
          ))}
          {timeTicks(to, WINDOW_MS).map((tk) => (
            <text key={tk.label} className="chart-tick" x={x(tk.t)} y={height - 6} textAnchor={tk.label === 'now' ? 'end' : tk.t === from ? 'start' : 'middle'}>
              {tk.label}
            </text>
          ))}
          <line className="chart-axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + innerH} />
          <line className="chart-axis" x1={M.left} x2={M.left + innerW} y1={M.top + innerH} y2={M.top + innerH} />
          {series.map((s, i) => (
            <path key={s.key} d={linePath(s.samples.filter((p) => p.t >= from), x, y, GAP_MS)} fill="none" stroke={seriesColour(i, scheme)} strokeWidth={2} strokeLinejoin="round" />
          ))}
          {hoverAt !== undefined && (
            <g className="chart-hover" aria-hidden="true">
              <line className="chart-cursor" x1={x(hoverAt)} x2={x(hoverAt)} y1={M.top} y2={M.top + innerH} />
              {hovered.map((h) => (
                <circle key={h.s.key} cx={x(h.at!.t)} cy={y(h.at!.v)} r={3.5} fill={seriesColour(h.i, scheme)} />
              ))}
              <g className="chart-tooltip" transform={`translate(${tipX.toFixed(1)},${M.top + 4})`} data-testid="chart-tooltip">
                <rect width={tipW} height={tipH} rx={4} />
                {tipLines.map((l, j) => (
                  <text key={j} x={7} y={17 + j * 15} className={j === 0 ? 'chart-tooltip-time' : undefined}>
                    {l}
                  </text>
                ))}
              </g>
            </g>
          )}
        </svg>
      </div>
      <ul className="chart-legend">
        {series.map((s, i) => {
          const sum = summary(s.samples);
          return (
            <li key={s.key}>
              <svg width="18" height="10" aria-hidden="true" className="chart-swatch">
                <line x1="1" x2="17" y1="5" y2="5" stroke={seriesColour(i, scheme)} strokeWidth={3} strokeLinecap="round" />
              </svg>
              {s.label} <span className="muted">{sum ? `now ${format(sum.latest)}` : 'no samples'}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
