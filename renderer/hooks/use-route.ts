// useRoute: the route in the location hash, and a stable navigate(patch) that merges into it.
import { useCallback, useSyncExternalStore } from 'react';
import { formatRoute, parseRoute, type Route } from '../route';

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/** The current route and navigate(); navigate(patch, true) replaces the history entry. */
export function useRoute(): [Route, (patch: Partial<Route>, replace?: boolean) => void] {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const navigate = useCallback((patch: Partial<Route>, replace = false) => {
    const next = formatRoute({ ...parseRoute(location.hash), ...patch });
    if (next === location.hash) return;
    if (replace) {
      history.replaceState(null, '', next);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else location.hash = next;
  }, []);
  return [parseRoute(hash), navigate];
}
