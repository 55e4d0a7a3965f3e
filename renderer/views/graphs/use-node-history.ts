// Polls the node agents' usage history through the apiserver's nodes/NAME/proxy every 5 s: the
// first fetch takes the ten minutes a node holds, later ones only what is newer (?since=), merged
// and trimmed to ten minutes here. A node that fails keeps its points and says why.
import { useEffect, useRef, useState } from 'react';
import { errorFromResponse, errorText, isAbort, send } from '../../api/http';
import { historyUrl, mergeHistory, nextSince, SAMPLE_MS, type HistoryPoint, type NodeHistoryAnswer } from './history';

/** What is known of one node's history. */
export interface NodeHistory {
  points: readonly HistoryPoint[];
  /** Whether a fetch has finished (with points or an error). */
  loaded: boolean;
  /** Why the last fetch failed (cleared by the next good one). */
  error?: string;
}

/** Every polled node's history, and the time (viewer clock) of the last poll: the right edge of the charts. */
export interface HistoryState {
  byNode: ReadonlyMap<string, NodeHistory>;
  now: number;
}

const NONE: NodeHistory = { points: [], loaded: false };

/** The history of `node` in a state (an empty one before the first answer). */
export function historyOf(state: HistoryState, node: string | undefined): NodeHistory {
  return (node && state.byNode.get(node)) || NONE;
}

async function fetchHistory(cluster: string, node: string, since: number, signal: AbortSignal): Promise<HistoryPoint[]> {
  const res = await send(historyUrl(cluster, node, since), { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw await errorFromResponse(res);
  const body = (await res.json()) as Partial<NodeHistoryAnswer>;
  if (!Array.isArray(body.points)) throw new Error(`node ${node} answered without a history`);
  return body.points;
}

/**
 * Polls the history of `nodes` of `cluster` every 5 s while mounted (and the page is visible).
 * Points survive a change of the node list; a change of cluster starts over.
 */
export function useNodeHistory(cluster: string | undefined, nodes: readonly string[]): HistoryState {
  const held = useRef(new Map<string, NodeHistory>());
  const heldCluster = useRef(cluster);
  const [state, setState] = useState<HistoryState>(() => ({ byNode: new Map(), now: Date.now() }));
  const key = nodes.join('\n');

  useEffect(() => {
    if (heldCluster.current !== cluster) {
      held.current = new Map();
      heldCluster.current = cluster;
    }
    const names = key ? key.split('\n') : [];
    if (!cluster || names.length === 0) {
      setState({ byNode: new Map(), now: Date.now() });
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (typeof document === 'undefined' || !document.hidden) {
        await Promise.all(
          names.map(async (node) => {
            const before = held.current.get(node) ?? NONE;
            try {
              const fetched = await fetchHistory(cluster, node, nextSince(before.points), controller.signal);
              held.current.set(node, { points: mergeHistory(before.points, fetched, Date.now()), loaded: true });
            } catch (err) {
              if (isAbort(err)) return;
              held.current.set(node, { points: mergeHistory(before.points, [], Date.now()), loaded: true, error: errorText(err) });
            }
          }),
        );
        if (controller.signal.aborted) return;
        setState({ byNode: new Map(names.map((n) => [n, held.current.get(n) ?? NONE])), now: Date.now() });
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), SAMPLE_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [cluster, key]);

  return state;
}
