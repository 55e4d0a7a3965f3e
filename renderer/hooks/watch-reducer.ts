// Pure transforms of a watched list: a watch event (or a batch of them) applied to the current
// items, keyed by uid. Unchanged input gives the same array back, so memoized rows stay put.
import { objectKey } from '../api/kinds';
import type { WatchEvent } from '../api/line-splitter';
import type { KubeObject } from '../api/types';

/** The list after one event: ADDED/MODIFIED replace or append, DELETED removes, others change nothing. */
export function applyWatchEvent<T extends KubeObject>(list: readonly T[], event: WatchEvent<T>): readonly T[] {
  if (event.type === 'ERROR' || event.type === 'BOOKMARK') return list;
  const key = objectKey(event.object);
  const i = list.findIndex((o) => objectKey(o) === key);
  if (event.type === 'DELETED') return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
  if (i < 0) return [...list, event.object];
  if (list[i] === event.object) return list;
  const next = list.slice();
  next[i] = event.object;
  return next;
}

/** The list after a batch of events in order (linear in list + batch, for bursts of churn). */
export function applyWatchEvents<T extends KubeObject>(list: readonly T[], events: readonly WatchEvent<T>[]): readonly T[] {
  if (events.length === 0) return list;
  if (events.length === 1) return applyWatchEvent(list, events[0]!);
  const byKey = new Map<string, T>();
  for (const o of list) byKey.set(objectKey(o), o);
  let changed = false;
  for (const ev of events) {
    if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') continue;
    const key = objectKey(ev.object);
    if (ev.type === 'DELETED') changed = byKey.delete(key) || changed;
    else {
      byKey.set(key, ev.object);
      changed = true;
    }
  }
  return changed ? [...byKey.values()] : list;
}

/** Sorts objects as kubectl lists them: by namespace, then name (plain string order, not locale). */
export function sortByNamespaceName<T extends KubeObject>(items: readonly T[]): T[] {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...items].sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
}
