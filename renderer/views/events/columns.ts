// `kubectl get events` columns: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; the newest first.
import type { KubeEvent } from '../../api/types';
import { age } from '../../format/age';
import { col, type Column } from '../../format/column';

/** When the event was last seen: lastTimestamp, else the series' or eventTime, else creation. */
export function lastSeen(e: KubeEvent): string | undefined {
  return e.series?.lastObservedTime || e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp;
}

/** LAST SEEN with the repeat count kubectl adds: "2m", or "5m (x3 over 20m)". */
export function lastSeenText(e: KubeEvent, now: number): string {
  const seen = age(lastSeen(e), now);
  const count = e.series?.count ?? e.count ?? 1;
  const first = e.firstTimestamp || e.eventTime;
  return count > 1 && first ? `${seen} (x${count} over ${age(first, now)})` : seen;
}

/** OBJECT: kind/name in lower case, as kubectl prints it. */
export const involved = (e: KubeEvent): string => `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`;

/** Events ordered newest first by last seen (what just happened is what a learner looks for). */
export function sortEvents(events: readonly KubeEvent[]): KubeEvent[] {
  const t = (e: KubeEvent) => Date.parse(lastSeen(e) ?? '') || 0;
  return [...events].sort((a, b) => t(b) - t(a) || a.metadata.name.localeCompare(b.metadata.name));
}

/** Columns of the events table. */
export const EVENT_COLUMNS: Column[] = [
  col<KubeEvent>({ header: 'Last seen', live: true, text: lastSeenText }),
  col<KubeEvent>({ header: 'Type', text: (e) => e.type ?? '', tone: (e) => (e.type === 'Warning' ? 'warn' : undefined) }),
  col<KubeEvent>({ header: 'Reason', text: (e) => e.reason ?? '' }),
  col<KubeEvent>({ header: 'Object', text: involved }),
  col<KubeEvent>({ header: 'Message', text: (e) => e.message ?? '' }),
];
