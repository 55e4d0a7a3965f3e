// watchCollection's list/watch protocol, driven through a stand-in fetch that answers with real
// Response objects and streamed bodies (the browser's types; no server needed).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WatchEvent } from './line-splitter';
import type { KubeObject } from './types';
import { backoffMs, watchCollection } from './watch';

const URL_ = 'http://dash/k8s/dev/api/v1/namespaces/default/pods';
const pod = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: 'default', uid: `u-${name}`, resourceVersion: rv } });
const line = (ev: unknown) => `${JSON.stringify(ev)}\n`;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A streamed 200 answer whose chunks the test writes; end() closes it. */
function stream() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  const enc = new TextEncoder();
  return {
    response: new Response(body, { status: 200 }),
    write: (s: string) => ctl.enqueue(enc.encode(s)),
    end: () => ctl.close(),
  };
}

type Route = (url: URL) => Response | Promise<Response>;
function serve(route: Route) {
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => {
    if (init?.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    return Promise.resolve(route(new URL(input)));
  });
}

function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() > end ? reject(new Error('timed out')) : setTimeout(tick, 5));
    tick();
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('watchCollection', () => {
  it('lists, streams events, re-lists after 410 Gone and watches from the new resourceVersion', async () => {
    const watchedFrom: string[] = [];
    let lists = 0;
    serve((u) => {
      if (u.searchParams.get('watch') !== '1') {
        lists++;
        return json(200, lists === 1 ? { metadata: { resourceVersion: '10' }, items: [pod('a', '9'), pod('b', '10')] } : { metadata: { resourceVersion: '20' }, items: [pod('a', '15'), pod('c', '12')] });
      }
      watchedFrom.push(`${u.searchParams.get('resourceVersion')} bookmarks=${u.searchParams.get('allowWatchBookmarks')}`);
      const s = stream();
      if (watchedFrom.length === 1) {
        const added = line({ type: 'ADDED', object: pod('c', '12') });
        s.write(added.slice(0, 15)); // an event cut between two chunks
        setTimeout(() => {
          s.write(added.slice(15));
          s.write(line({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '13' } } }));
          s.write(line({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }));
          s.end();
        }, 10);
      } else s.write(line({ type: 'DELETED', object: pod('c', '21') }));
      return s.response;
    });

    const seen: string[] = [];
    const stop = watchCollection(URL_, {
      onList: (items) => seen.push(`list ${items.map((i) => i.metadata.name).join(',')}`),
      onEvent: (ev: WatchEvent) => seen.push(`${ev.type} ${'metadata' in ev.object ? ev.object.metadata.name : ''}`),
      onState: (s) => seen.push(s.live ? 'live' : `failing ${s.status}`),
    });
    try {
      await until(() => seen.includes('DELETED c'));
    } finally {
      stop();
    }
    expect(seen).toEqual(['list a,b', 'live', 'ADDED c', 'list a,c', 'live', 'DELETED c']);
    expect(watchedFrom).toEqual(['10 bookmarks=true', '20 bookmarks=true']);
  });

  it('re-lists when the watch request itself answers 410', async () => {
    let lists = 0;
    let watches = 0;
    serve((u) => {
      if (u.searchParams.get('watch') !== '1') return json(200, { metadata: { resourceVersion: String(++lists) }, items: [] });
      return ++watches === 1 ? json(410, { kind: 'Status', code: 410, message: 'gone' }) : stream().response;
    });
    const stop = watchCollection(URL_, { onList: () => undefined, onEvent: () => undefined, onState: () => undefined });
    try {
      await until(() => watches === 2);
    } finally {
      stop();
    }
    expect(lists).toBe(2);
  });

  it('reports a 503 with the server message, retries, and recovers', async () => {
    let calls = 0;
    serve((u) => {
      if (++calls === 1) return json(503, { error: 'cluster dev is stopped', hint: 'start it' });
      if (u.searchParams.get('watch') !== '1') return json(200, { metadata: { resourceVersion: '5' }, items: [pod('a', '5')] });
      return stream().response;
    });
    const states: string[] = [];
    const stop = watchCollection(URL_, {
      onList: () => states.push('list'),
      onEvent: () => undefined,
      onState: (s) => states.push(s.live ? 'live' : `failing ${s.status}: ${s.error}`),
    });
    try {
      await until(() => states.includes('live'));
    } finally {
      stop();
    }
    expect(states).toEqual(['failing 503: cluster dev is stopped (start it)', 'list', 'live']);
  });

  it('treats an ERROR event other than 410 as a failure and re-lists after back-off', async () => {
    let lists = 0;
    serve((u) => {
      if (u.searchParams.get('watch') !== '1') return json(200, { metadata: { resourceVersion: String(++lists) }, items: [] });
      const s = stream();
      if (lists === 1) s.write(line({ type: 'ERROR', object: { kind: 'Status', code: 500, message: 'etcd is sad' } }));
      return s.response;
    });
    const states: string[] = [];
    const stop = watchCollection(URL_, { onList: () => states.push('list'), onEvent: () => undefined, onState: (s) => states.push(s.live ? 'live' : `failing ${s.status}: ${s.error}`) });
    try {
      await until(() => lists === 2 && states.at(-1) === 'live');
    } finally {
      stop();
    }
    expect(states).toEqual(['list', 'live', 'failing 500: etcd is sad', 'list', 'live']);
  });

  it('resumes from the last resourceVersion when a watch ends normally', async () => {
    const watchedFrom: string[] = [];
    let lists = 0;
    serve((u) => {
      if (u.searchParams.get('watch') !== '1') {
        lists++;
        return json(200, { metadata: { resourceVersion: '1' }, items: [] });
      }
      watchedFrom.push(u.searchParams.get('resourceVersion') ?? '');
      const s = stream();
      if (watchedFrom.length === 1) {
        s.write(line({ type: 'ADDED', object: pod('x', '7') }));
        setTimeout(() => s.end(), 1050); // a server-side watch timeout, not an error
      }
      return s.response;
    });
    const stop = watchCollection(URL_, { onList: () => undefined, onEvent: () => undefined, onState: () => undefined });
    try {
      await until(() => watchedFrom.length >= 2);
    } finally {
      stop();
    }
    expect(watchedFrom.slice(0, 2)).toEqual(['1', '7']);
    expect(lists).toBe(1);
  });

  it('stops requesting once stopped', async () => {
    let requests = 0;
    serve(() => {
      requests++;
      return json(503, { error: 'down' });
    });
    const stop = watchCollection(URL_, { onList: () => undefined, onEvent: () => undefined, onState: () => undefined });
    await until(() => requests === 1);
    stop();
    await new Promise((r) => setTimeout(r, 700));
    expect(requests).toBe(1);
  });
});

describe('backoffMs', () => {
  it('doubles from 0.5 s up to 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
