// What a table column is: a header and pure functions from an object to its cell. Every kind's
// columns are data built from these, so they can be tested without rendering.
import type { KubeObject } from '../api/types';
import { age } from './age';

/** A status colour; always shown together with text, never alone. */
export type Tone = 'ok' | 'warn' | 'bad' | 'progress' | 'muted';

/** One column of a resource table. */
export interface Column<T extends KubeObject = KubeObject> {
  header: string;
  /** The cell's text at time `now` (ms). */
  text(o: T, now: number): string;
  /** The text depends on `now` (ages): re-rendered every second. */
  live?: boolean;
  /** A status colour for the cell. */
  tone?(o: T): Tone | undefined;
  /** Links the cell shows (e.g. a NodePort's host URL) after its text. */
  links?(o: T): { href: string; label: string }[];
}

/** NAME. */
export const nameColumn: Column = { header: 'Name', text: (o) => o.metadata.name };

/** NAMESPACE (shown when listing all namespaces). */
export const namespaceColumn: Column = { header: 'Namespace', text: (o) => o.metadata.namespace ?? '' };

/** AGE. */
export const ageColumn: Column = { header: 'Age', live: true, text: (o, now) => age(o.metadata.creationTimestamp, now) };

/** "<none>" for empty values, as kubectl prints them. */
export const none = (v: string | number | undefined | null): string => (v === undefined || v === null || v === '' ? '<none>' : String(v));

/** Narrows a column over a kind to the generic column type the table takes. */
export function col<T extends KubeObject>(c: Column<T>): Column {
  return c as unknown as Column;
}
