// A table of Kubernetes objects: header row, one memoized row per object (re-rendered only when
// that object changes), ages ticking in their own cells. Keyboard: Tab reaches the table's one
// tabbable row; ArrowUp/ArrowDown/Home/End move between rows; Enter or Space opens a row.
import { memo, useCallback, useState, type KeyboardEvent } from 'react';
import { objectKey } from '../api/kinds';
import type { KubeObject } from '../api/types';
import type { Column } from '../format/column';
import { useClockText } from '../hooks/use-now';
import { ToneText } from './Tone';

/** What the table shows. */
export interface ResourceTableProps {
  /** Accessible name (the table's caption), e.g. "Pods in default". */
  label: string;
  columns: readonly Column[];
  items: readonly KubeObject[];
  /** Key (objectKey) of the row shown as selected. */
  selectedKey?: string;
  onOpen(o: KubeObject): void;
}

function LiveText({ column, obj }: { column: Column; obj: KubeObject }) {
  const format = useCallback((now: number) => column.text(obj, now), [column, obj]);
  return <>{useClockText(format)}</>;
}

function Cell({ column, obj }: { column: Column; obj: KubeObject }) {
  const text = column.live ? <LiveText column={column} obj={obj} /> : column.text(obj, Date.now());
  const links = column.links?.(obj) ?? [];
  return (
    <td>
      <ToneText tone={column.tone?.(obj)}>{text}</ToneText>
      {links.map((l) => (
        <a key={l.href} className="cell-link" href={l.href} target="_blank" rel="noreferrer noopener" onClick={(e) => e.stopPropagation()}>
          {l.label}
        </a>
      ))}
    </td>
  );
}

interface RowProps {
  obj: KubeObject;
  columns: readonly Column[];
  selected: boolean;
  tabbable: boolean;
  onOpen(o: KubeObject): void;
}

const Row = memo(function Row({ obj, columns, selected, tabbable, onOpen }: RowProps) {
  return (
    <tr
      data-key={objectKey(obj)}
      data-name={obj.metadata.name}
      data-rv={obj.metadata.resourceVersion}
      data-testid="resource-row"
      className={selected ? 'selected' : undefined}
      aria-current={selected ? 'true' : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onOpen(obj)}
    >
      {columns.map((c) => (
        <Cell key={c.header} column={c} obj={obj} />
      ))}
    </tr>
  );
});

function rowsOf(el: HTMLElement): HTMLTableRowElement[] {
  return [...(el.closest('tbody')?.querySelectorAll<HTMLTableRowElement>('tr[data-key]') ?? [])];
}

/** The table of `items` with `columns`. */
export function ResourceTable({ label, columns, items, selectedKey, onOpen }: ResourceTableProps) {
  const [focusKey, setFocusKey] = useState<string>();
  const keys = new Set(items.map(objectKey));
  const tabKey = focusKey && keys.has(focusKey) ? focusKey : selectedKey && keys.has(selectedKey) ? selectedKey : items[0] ? objectKey(items[0]) : undefined;

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLTableSectionElement>) => {
      const row = (e.target as HTMLElement).closest('tr');
      if (!row?.dataset.key) return;
      const rows = rowsOf(row);
      const i = rows.indexOf(row);
      let next: HTMLTableRowElement | undefined;
      if (e.key === 'ArrowDown') next = rows[Math.min(rows.length - 1, i + 1)];
      else if (e.key === 'ArrowUp') next = rows[Math.max(0, i - 1)];
      else if (e.key === 'Home') next = rows[0];
      else if (e.key === 'End') next = rows[rows.length - 1];
      else if ((e.key === 'Enter' || e.key === ' ') && e.target === row) {
        e.preventDefault();
        const obj = items.find((o) => objectKey(o) === row.dataset.key);
        if (obj) onOpen(obj);
        return;
      } else return;
      e.preventDefault();
      next?.focus();
    },
    [items, onOpen],
  );

  return (
    <table className="resource-table" data-testid="resource-table">
      <caption className="visually-hidden">{label}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody onKeyDown={onKeyDown} onFocus={(e) => setFocusKey((e.target as HTMLElement).closest('tr')?.dataset.key)}>
        {items.map((o) => {
          const key = objectKey(o);
          return <Row key={key} obj={o} columns={columns} selected={key === selectedKey} tabbable={key === tabKey} onOpen={onOpen} />;
        })}
      </tbody>
    </table>
  );
}
