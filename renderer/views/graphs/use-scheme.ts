// The colour scheme the page shows (styles.css follows prefers-color-scheme), so chart lines take
// colours that keep their contrast in it.
import { useSyncExternalStore } from 'react';
import type { Scheme } from './palette';

const QUERY = '(prefers-color-scheme: dark)';

function media(): MediaQueryList | undefined {
  return typeof matchMedia === 'function' ? matchMedia(QUERY) : undefined;
}

function subscribe(cb: () => void): () => void {
  const m = media();
  m?.addEventListener('change', cb);
  return () => m?.removeEventListener('change', cb);
}

/** 'dark' when the system asks for a dark scheme, else 'light'; follows changes. */
export function useScheme(): Scheme {
  return useSyncExternalStore(subscribe, () => (media()?.matches ? 'dark' : 'light'));
}
