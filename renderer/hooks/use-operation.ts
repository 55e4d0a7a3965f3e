// useOperation: follows a cluster operation's progress steps over /ws, polling
// GET /api/operations/ID instead while the socket is down.
import { useEffect, useState } from 'react';
import type { OperationState, ProgressStep } from '../../engine/dashboard/contract';
import { getOperation } from '../api/dashboard';
import { errorText } from '../api/http';
import { useServices } from './services';

/** What the UI knows of an operation. */
export interface OperationView {
  steps: ProgressStep[];
  state: OperationState['state'];
  error?: string;
}

const POLL_MS = 1500;

/** The live progress of operation `id`. */
export function useOperation(id: string): OperationView {
  const { socket } = useServices();
  const [view, setView] = useState<OperationView>({ steps: [], state: 'running' });

  useEffect(() => {
    let ended = false;
    const unsubscribe = socket.followOperation(id, {
      onReset: () => setView((v) => ({ ...v, steps: [] })),
      onStep: (step) => setView((v) => ({ ...v, steps: [...v.steps, step] })),
      onEnd: (state, error) => {
        ended = true;
        setView((v) => ({ ...v, state, ...(error ? { error } : {}) }));
      },
      onError: (error) => {
        ended = true;
        setView((v) => ({ ...v, state: 'failed', error }));
      },
    });
    const poll = setInterval(() => {
      if (ended || socket.connected) return;
      getOperation(id).then(
        (op) => {
          if (ended) return;
          if (op.state !== 'running') ended = true;
          setView({ steps: op.steps, state: op.state, ...(op.error ? { error: op.error } : {}) });
        },
        (err: unknown) => setView((v) => ({ ...v, error: errorText(err) })),
      );
    }, POLL_MS);
    return () => {
      unsubscribe();
      clearInterval(poll);
    };
  }, [id, socket]);

  return view;
}
