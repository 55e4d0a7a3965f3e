// Splits a chunked text stream into lines, as a Kubernetes watch (one JSON object per line) or a
// followed log arrives: a line may be cut anywhere between two chunks.
import type { KubeObject, KubeStatus } from './types';

/** Accumulates chunks and hands out complete lines ("\n" or "\r\n" ended). */
export class LineSplitter {
  private rest = '';

  /** Adds a chunk; returns the lines it completed (without their line ends). */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** Ends the stream: the unterminated last line, if any. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

/** One event of a Kubernetes watch. */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: KubeStatus };

const TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Parses one watch line; undefined for blank lines; throws on anything that is not a watch event. */
export function parseWatchLine<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  if (!line.trim()) return undefined;
  const ev = JSON.parse(line) as { type?: unknown; object?: unknown };
  if (!ev || typeof ev.type !== 'string' || !TYPES.has(ev.type) || !ev.object || typeof ev.object !== 'object') {
    throw new Error(`not a watch event: ${line.slice(0, 120)}`);
  }
  return ev as WatchEvent<T>;
}
