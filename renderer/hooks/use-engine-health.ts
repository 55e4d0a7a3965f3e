// useEngineHealth: whether Docker (and the dashboard server itself) answer. The server pushes
// Docker's health on /ws; while the socket is down the renderer asks GET /api/engine with back-off
// (1 s doubling to 10 s), which also tells when the dashboard server itself stopped answering.
// Either way the banner clears by itself soon after the cause goes away.
import { useEffect, useState } from 'react';
import type { EngineHealth } from '../../engine/dashboard/contract';
import { getEngineHealth } from '../api/dashboard';
import { errorText, isAbort } from '../api/http';
import { useServices } from './services';

/** The last health answer, or why the dashboard server could not be asked. */
export interface EngineHealthState {
  health?: EngineHealth;
  /** Set when /api/engine itself failed (the dashboard server is down or erring). */
  serverError?: string;
}

/** Docker's health, pushed, with a polled fallback while the socket is down. */
export function useEngineHealth(): EngineHealthState {
  const { socket } = useServices();
  const [state, setState] = useState<EngineHealthState>({});
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const check = () => {
      clearTimeout(timer);
      getEngineHealth(controller.signal).then(
        (health) => {
          setState({ health });
          attempt = 0;
          if (!socket.connected) timer = setTimeout(check, health.docker === 'ok' ? 5000 : 2000);
        },
        (err: unknown) => {
          if (isAbort(err)) return;
          setState({ serverError: errorText(err) });
          timer = setTimeout(check, Math.min(10_000, 1000 * 2 ** attempt++));
        },
      );
    };
    check();
    const offEngine = socket.onEngine((health) => setState({ health }));
    const offState = socket.onStateChange(() => {
      if (!socket.connected) check();
      else clearTimeout(timer);
    });
    return () => {
      controller.abort();
      clearTimeout(timer);
      offEngine();
      offState();
    };
  }, [socket]);
  return state;
}
