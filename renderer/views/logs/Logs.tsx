// The logs view: pod and container pickers, follow / previous / timestamps, a search filter that
// highlights matches, and download of the whole log as a file.
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorFromResponse, errorText, send } from '../../api/http';
import { kindByPlural } from '../../api/kinds';
import type { Pod } from '../../api/types';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { useWatchList } from '../../hooks/use-watch-list';
import { sortByNamespaceName } from '../../hooks/watch-reducer';
import type { Route } from '../../route';
import { filterLines, logFileName, logUrl, matchRanges, splitTimestamp } from './log-lines';
import { useLogStream } from './use-log-stream';

const PODS = kindByPlural('pods')!;
const BLOCK = 200;

function Highlighted({ text, query }: { text: string; query: string }) {
  const ranges = matchRanges(text, query);
  if (!ranges.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    parts.push(text.slice(at, s), <mark key={i}>{text.slice(s, e)}</mark>);
    at = e;
  });
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function LogLine({ line, query }: { line: string; query: string }) {
  const { ts, text } = splitTimestamp(line);
  return (
    <div className="log-line">
      {ts && <span className="log-ts">{ts} </span>}
      <Highlighted text={text} query={query} />
    </div>
  );
}

/** A block of lines [from, to) of the whole log; lines never change once written, so blocks memoize on their range. */
const LogBlock = memo(
  function LogBlock({ lines }: { lines: string[]; from: number; to: number }) {
    return (
      <>
        {lines.map((l, i) => (
          <LogLine key={i} line={l} query="" />
        ))}
      </>
    );
  },
  (a, b) => a.from === b.from && a.to === b.to,
);

/** The logs view for `route.pod` / `route.container` in `route.namespace`. */
export function LogsView({ cluster, route, navigate }: { cluster: string; route: Route; navigate(p: Partial<Route>): void }) {
  const pods = useWatchList<Pod>(cluster, PODS, route.namespace);
  const sorted = useMemo(() => sortByNamespaceName(pods.items), [pods.items]);
  const [podNs, podName] = route.pod?.includes('/') ? (route.pod.split('/', 2) as [string, string]) : [route.namespace || 'default', route.pod];
  const pod = sorted.find((p) => p.metadata.name === podName && (p.metadata.namespace ?? '') === podNs);
  const containers = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].map((c) => c.name);
  const container = route.container && containers.includes(route.container) ? route.container : (pod?.spec?.containers?.[0]?.name ?? route.container);
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [generation, setGeneration] = useState(0);
  const [downloadError, setDownloadError] = useState<string>();

  const opts = { follow: follow && !previous, previous, timestamps, ...(container ? { container } : {}) };
  const url = podName ? logUrl(cluster, podNs, podName, opts) : undefined;
  const stream = useLogStream(url, generation);
  const lines = stream.buffer.lines;
  const dropped = stream.buffer.dropped;

  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  useEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [stream.version, query]);

  // The buffer changes in place: its version is what tells the filter to run again.
  const matches = useMemo(() => (query ? filterLines(lines, query) : []), [lines, query, stream.version]);

  const download = async () => {
    if (!podName) return;
    setDownloadError(undefined);
    try {
      const res = await send(logUrl(cluster, podNs, podName, { ...opts, follow: false }));
      if (!res.ok) throw await errorFromResponse(res);
      const blob = await res.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = logFileName(podName, container, previous);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      setDownloadError(errorText(err));
    }
  };

  const podValue = pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : podName ? `${podNs}/${podName}` : '';
  const blocks: { from: number; to: number }[] = [];
  if (!query) {
    const end = dropped + lines.length;
    for (let b = Math.floor(dropped / BLOCK) * BLOCK; b < end; b += BLOCK) blocks.push({ from: Math.max(b, dropped), to: Math.min(b + BLOCK, end) });
  }
  const phaseText =
    stream.phase === 'loading'
      ? 'Connecting…'
      : stream.phase === 'streaming'
        ? opts.follow
          ? 'Following: new lines appear as the container writes them.'
          : 'Reading…'
        : stream.phase === 'ended'
          ? opts.follow
            ? 'The stream ended (the container stopped or restarted). Reload to follow again.'
            : 'End of log.'
          : '';

  return (
    <div className="view logs-view" data-testid="logs-view">
      <header className="view-header wrap">
        <h1>Logs</h1>
        <NamespaceSelect cluster={cluster} value={route.namespace} onChange={(ns) => navigate({ namespace: ns, pod: undefined, container: undefined })} />
        <div className="field field-inline">
          <label htmlFor="log-pod">Pod</label>
          <select id="log-pod" data-testid="log-pod" value={podValue} onChange={(e) => navigate({ pod: e.target.value || undefined, container: undefined })}>
            <option value="">Choose a pod…</option>
            {podValue && !pod && <option value={podValue}>{podValue} (not found)</option>}
            {sorted.map((p) => (
              <option key={p.metadata.uid ?? p.metadata.name} value={`${p.metadata.namespace}/${p.metadata.name}`}>
                {route.namespace ? p.metadata.name : `${p.metadata.namespace}/${p.metadata.name}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="log-container">Container</label>
          <select id="log-container" data-testid="log-container" value={container ?? ''} disabled={containers.length === 0} onChange={(e) => navigate({ container: e.target.value })}>
            {containers.length === 0 && <option value="">—</option>}
            {containers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </header>
      <div className="log-toolbar" role="group" aria-label="Log options">
        <label className="checkbox">
          <input type="checkbox" data-testid="log-follow" checked={follow} disabled={previous} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label className="checkbox">
          <input type="checkbox" data-testid="log-previous" checked={previous} onChange={(e) => setPrevious(e.target.checked)} /> Previous container
        </label>
        <label className="checkbox">
          <input type="checkbox" data-testid="log-timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> Timestamps
        </label>
        <div className="field field-inline">
          <label htmlFor="log-search">Search</label>
          <input id="log-search" type="search" data-testid="log-search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="filter lines" />
        </div>
        <button type="button" onClick={() => setGeneration((g) => g + 1)} disabled={!podName}>
          Reload
        </button>
        <button type="button" data-testid="log-download" onClick={() => void download()} disabled={!podName}>
          Download
        </button>
      </div>
      <p className="muted log-status" role="status" data-testid="log-status">
        {phaseText}
        {query && ` ${matches.length} matching line${matches.length === 1 ? '' : 's'}.`}
        {dropped > 0 && ` (The oldest ${dropped} lines are not shown; Download has them all.)`}
      </p>
      {stream.error && (
        <p role="alert" className="error-text" data-testid="log-error">
          {stream.error}
        </p>
      )}
      {downloadError && (
        <p role="alert" className="error-text">
          Download failed: {downloadError}
        </p>
      )}
      {!podName ? (
        <p className="empty">Choose a pod to read its logs.</p>
      ) : (
        <div
          className="log-output code"
          ref={scroller}
          tabIndex={0}
          role="log"
          aria-label={`Log of ${podName}${container ? ` / ${container}` : ''}`}
          data-testid="log-output"
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {query
            ? matches.map((i) => <LogLine key={i + dropped} line={lines[i]!} query={query} />)
            : blocks.map((b) => <LogBlock key={b.from} lines={lines.slice(b.from - dropped, b.to - dropped)} from={b.from} to={b.to} />)}
          {lines.length === 0 && (stream.phase === 'ended' || stream.phase === 'streaming') && <p className="muted">No log lines yet.</p>}
        </div>
      )}
    </div>
  );
}
