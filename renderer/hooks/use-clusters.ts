// useClusters: the cluster list, fetched once and then kept current by the server's pushes on
// /ws (re-fetched after each reconnect, since pushes may have been missed meanwhile).
import { useCallback, useEffect, useState } from 'react';
import type { ClusterSummary } from '../../engine/dashboard/contract';
import { listClusters } from '../api/dashboard';
import { errorText } from '../api/http';
import { backoffMs } from '../api/watch';
import { useServices } from './services';

/** The clusters (undefined until first loaded) and the last load error. */
export interface ClustersState {
  clusters?: ClusterSummary[];
  error?: string;
  /** Fetches the list now (after an action whose push may come late). */
  refresh(): void;
}

/** The cluster list, live. */
export function useClusters(): ClustersState {
  const { socket } = useServices();
  const [clusters, setClusters] = useState<ClusterSummary[]>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (attempt: number) => {
      listClusters().then(
        (c) => {
          if (cancelled) return;
          setClusters(c);
          setError(undefined);
        },
        (err: unknown) => {
          if (cancelled) return;
          setError(errorText(err));
          timer = setTimeout(() => load(attempt + 1), backoffMs(attempt));
        },
      );
    };
    load(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [generation]);

  useEffect(() => {
    const offClusters = socket.onClusters((c) => {
      setClusters(c);
      setError(undefined);
    });
    const offState = socket.onStateChange(() => {
      if (socket.connected) refresh();
    });
    return () => {
      offClusters();
      offState();
    };
  }, [socket, refresh]);

  return { clusters, error, refresh };
}
