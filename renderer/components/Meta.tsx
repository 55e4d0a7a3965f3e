// Building blocks of the details pane: a definition list, labels, conditions.
import { useCallback, type ReactNode } from 'react';
import type { Condition, KubeObject } from '../api/types';
import { age } from '../format/age';
import { useClockText } from '../hooks/use-now';
import { MiniTable } from './MiniTable';

/** A two-column list of facts; rows with an undefined value are left out. */
export function Facts({ rows, label }: { rows: [string, ReactNode | undefined][]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** Labels (or annotations, or a selector) as key=value chips; "none" when empty. */
export function KeyValues({ map }: { map: Record<string, string> | undefined }) {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return <span className="muted">none</span>;
  return (
    <ul className="chips">
      {entries.map(([k, v]) => (
        <li key={k} className="chip">
          {k}={v}
        </li>
      ))}
    </ul>
  );
}

/** Age text that ticks. */
export function Age({ timestamp }: { timestamp: string | undefined }) {
  const text = useClockText(useCallback((now: number) => age(timestamp, now), [timestamp]));
  return <time dateTime={timestamp}>{text}</time>;
}

/** The metadata facts every object has. */
export function ObjectMeta({ obj }: { obj: KubeObject }) {
  const m = obj.metadata;
  const owners = (m.ownerReferences ?? []).map((o) => `${o.kind}/${o.name}`).join(', ');
  return (
    <Facts
      label="Metadata"
      rows={[
        ['Name', m.name],
        ['Namespace', m.namespace],
        ['Created', m.creationTimestamp ? <><Age timestamp={m.creationTimestamp} /> ago ({m.creationTimestamp})</> : undefined],
        ['Deleting', m.deletionTimestamp ? <>since {m.deletionTimestamp}</> : undefined],
        ['Owner', owners || undefined],
        ['Labels', <KeyValues key="l" map={m.labels} />],
        ['Annotations', m.annotations && Object.keys(m.annotations).length ? <KeyValues key="a" map={m.annotations} /> : undefined],
      ]}
    />
  );
}

/** A table of conditions (type, status, reason, message, last change). */
export function Conditions({ conditions }: { conditions: Condition[] | undefined }) {
  if (!conditions?.length) return null;
  return (
    <MiniTable caption="Conditions" headers={['Type', 'Status', 'Reason', 'Message', 'Changed']}>
        {conditions.map((c) => (
          <tr key={c.type}>
            <td>{c.type}</td>
            <td>{c.status}</td>
            <td>{c.reason ?? ''}</td>
            <td>{c.message ?? ''}</td>
            <td>{c.lastTransitionTime ? <Age timestamp={c.lastTransitionTime} /> : ''}</td>
          </tr>
        ))}
    </MiniTable>
  );
}
