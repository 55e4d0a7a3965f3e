// Small CPU and memory lines of the last ten minutes for a node's or a pod's details pane, from the
// same node history the Graphs view polls (the pod's figures come from its node's history).
import { useMemo } from 'react';
import { GAP_MS, nodeSeries, podSeries, summary, WINDOW_MS, type Sample } from './history';
import { seriesColour } from './palette';
import { formatCores, formatMiB, linear, linePath, valueAxis } from './scale';
import { historyOf, useNodeHistory } from './use-node-history';
import { useScheme } from './use-scheme';

const W = 140;
const H = 30;

/** One sparkline with its latest value; the SVG's label and title say what it shows. */
function Sparkline({ what, subject, samples, to, minMax, format, colour }: { what: string; subject: string; samples: readonly Sample[]; to: number; minMax: number; format(v: number): string; colour: string }) {
  const from = to - WINDOW_MS;
  const shown = samples.filter((s) => s.t >= from);
  const sum = summary(shown);
  const axis = valueAxis(Math.max(0, ...shown.map((s) => s.v)), minMax, 2);
  const x = linear(from, to, 1, W - 1);
  const y = linear(0, axis.max, H - 2, 2);
  const text = sum ? `${what} of ${subject} over the last 10 minutes: now ${format(sum.latest)}, peak ${format(sum.peak)}` : `${what} of ${subject}: no samples yet`;
  return (
    <span className="sparkline">
      <span className="sparkline-name">{what}</span>
      <svg role="img" aria-label={text} width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="sparkline-svg">
        <title>{text}</title>
        <line className="chart-axis" x1={0} x2={W} y1={H - 1} y2={H - 1} />
        <path d={linePath(shown, x, y, GAP_MS)} fill="none" stroke={colour} strokeWidth={1.5} strokeLinejoin="round" />
      </svg>
      <span className="sparkline-value">{sum ? format(sum.latest) : '–'}</span>
    </span>
  );
}

/**
 * CPU and memory sparklines of `node`, or of pod `pod` ("namespace/name") on `node`; nothing to
 * poll when the pod has no node yet.
 */
export function UsageSparklines({ cluster, node, pod }: { cluster: string; node: string | undefined; pod?: string }) {
  const nodes = useMemo(() => (node ? [node] : []), [node]);
  const state = useNodeHistory(cluster, nodes);
  const scheme = useScheme();
  const history = historyOf(state, node);
  const series = useMemo(() => {
    if (!pod) return nodeSeries(node ?? '', history.points);
    const found = podSeries([history.points], (ns, name) => `${ns}/${name}` === pod)[0];
    return found ? { cpu: found.cpu, memory: found.memory } : undefined;
  }, [history.points, node, pod]);
  const subject = pod ? `pod ${pod}` : `node ${node}`;
  const testId = pod ? 'pod-sparklines' : 'node-sparklines';
  let body;
  if (!node) body = <p className="muted">Usage shows once the pod runs on a node.</p>;
  else if (history.error && !history.points.length) body = <p className="error-text" role="alert">Could not read usage: {history.error}</p>;
  else if (!history.loaded) body = <p className="muted">Loading usage…</p>;
  else if (!series || !series.cpu.samples.length) body = <p className="muted">No samples yet: the node agents sample every 5 s.</p>;
  else
    body = (
      <div className="sparklines-row">
        <Sparkline what="CPU" subject={subject} samples={series.cpu.samples} to={state.now} minMax={0.05} format={formatCores} colour={seriesColour(0, scheme)} />
        <Sparkline what="Memory" subject={subject} samples={series.memory.samples} to={state.now} minMax={8} format={formatMiB} colour={seriesColour(4, scheme)} />
      </div>
    );
  return (
    <section className="sparklines" data-testid={testId} aria-label={`Usage of ${subject}`}>
      <h3 className="section-title">Usage, last 10 minutes</h3>
      {body}
    </section>
  );
}
