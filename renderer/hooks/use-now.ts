// A shared clock for ages: one timer for the whole page, ticking while anyone reads it. Readers
// pass a formatter, so a cell re-renders only when its text changes ("12m" stays "12m" for a
// minute), not on every tick.
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of [...listeners]) l();
    }, 1000);
  }
  return () => {
    listeners.delete(cb);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in ms, updated every second (re-renders every second). */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** `format(now)`, re-rendering only when that text changes; `format` should be memoized by the caller. */
export function useClockText(format: (now: number) => string): string {
  const get = useCallback(() => format(now), [format]);
  return useSyncExternalStore(subscribe, get);
}
