// The events about one object (live), newest first: what the controllers and the node agent did.
import { kindByPlural } from '../../api/kinds';
import type { KubeEvent, KubeObject } from '../../api/types';
import { ToneText } from '../../components/Tone';
import { useNow } from '../../hooks/use-now';
import { useWatchList } from '../../hooks/use-watch-list';
import { lastSeenText, sortEvents } from '../events/columns';
import { MiniTable } from '../../components/MiniTable';

const EVENTS = kindByPlural('events')!;

/** Events whose involvedObject is `obj`. */
export function ObjectEvents({ cluster, obj }: { cluster: string; obj: KubeObject }) {
  const uid = obj.metadata.uid ?? '';
  const events = useWatchList<KubeEvent>(cluster, EVENTS, obj.metadata.namespace ?? '', `fieldSelector=${encodeURIComponent(`involvedObject.uid=${uid}`)}`);
  const now = useNow();
  if (!uid) return null;
  return (
    <section aria-label="Events" data-testid="object-events">
      <h3 className="section-title">Events</h3>
      {!events.listed ? (
        <p className="muted">Loading events…</p>
      ) : events.items.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <MiniTable headers={['Last seen', 'Type', 'Reason', 'Message']}>
            {sortEvents(events.items).map((e) => (
              <tr key={e.metadata.uid ?? e.metadata.name}>
                <td>{lastSeenText(e, now)}</td>
                <td>
                  <ToneText tone={e.type === 'Warning' ? 'warn' : undefined}>{e.type}</ToneText>
                </td>
                <td>{e.reason}</td>
                <td>{e.message}</td>
              </tr>
            ))}
        </MiniTable>
      )}
    </section>
  );
}
