// The page side of bench:ui. `installProbe` runs in every page of the bench's browser before the
// app's own script (Playwright installs it through CDP, which the dashboard's CSP does not govern)
// and times what the user sees with the page's clock: when the pod table holds all its rows, how
// long a click takes to show its effect, when each row showed each version of its pod (for
// freshness, matched against the bench's own watch in Node: the page's connections stay the
// app's), and the main thread's long tasks. Each wait ends at "painted": the first task after the
// animation frame that follows the DOM change, so a frame with the change has been produced. The
// function is sent to the page as its source text: it must not use anything from outside its body.
//
// The bench's TypeScript program has no DOM library (it is Node code); the few browser APIs the
// probe uses are typed below.

/** When the DOM first showed a change and when the frame after it was painted (page ms, performance.now). */
export interface Shown {
  domAt: number;
  paintAt: number;
}

/** One timed input: what it was and its delay from the input event to the painted effect (ms). */
export interface InputTiming {
  kind: 'open' | 'close';
  /** Input event → DOM shows the effect. */
  dom: number;
  /** Input event → painted. */
  paint: number;
}

/** A row of the pod table changed: it shows version `rv` of pod `key` (uid), or is gone (rv null); times are Unix epoch ms. */
export interface RowChange {
  key: string;
  rv: number | null;
  domAt: number;
  paintAt: number;
}

/** A main-thread long task (PerformanceObserver 'longtask'), page ms. */
export interface LongTask {
  start: number;
  duration: number;
}

/** What the probe offers the bench (window.__benchUi). */
export interface Probe {
  /** The first time the pod table held `rows` rows since the document started (cold open), once it happened. */
  firstOpen?: Shown;
  rowCount(): number;
  /** Sets the location hash and resolves with the time until `rows` rows are painted (ms), or null on timeout. */
  switchTo(hash: string, rows: number, timeoutMs: number): Promise<Shown & { start: number } | null>;
  /** A visible row's centre, or the drawer's close button's when the drawer is open. */
  target(): { x: number; y: number; kind: 'open' | 'close' } | null;
  /** Count of inputs seen so far; `input(i)` resolves with input i's timing (null: no effect within the timeout). */
  inputsSeen(): number;
  input(i: number): Promise<InputTiming | null>;
  /** Starts logging row changes (from now on) or stops it and hands over the log once its last batch has been painted. */
  logRows(on: true): void;
  logRows(on: false): Promise<RowChange[]>;
  longTasks(from: number, to: number): LongTask[];
  /** Requests for exactly `path` (no query: lists, not watches) that started in [from, to): when each started and ended (page ms). */
  requests(from: number, to: number, path: string): Array<{ start: number; end: number }>;
  now(): number;
}

interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number };
}
interface MutationRecordLike {
  type: string;
  target: PageElement;
  addedNodes: ArrayLike<unknown>;
  removedNodes: ArrayLike<unknown>;
}
interface PageGlobals {
  document: PageElement & { hidden: boolean };
  location: { hash: string };
  innerHeight: number;
  requestAnimationFrame(cb: () => void): number;
  addEventListener(type: string, cb: (e: { target: unknown; timeStamp: number }) => void, capture: boolean): void;
  MutationObserver: new (cb: (records: MutationRecordLike[]) => void) => { observe(target: unknown, opts: Record<string, unknown>): void };
  performance: { timeOrigin: number; setResourceTimingBufferSize(n: number): void; getEntriesByType(type: string): Array<{ name: string; startTime: number; responseEnd: number }> };
  PerformanceObserver: new (cb: (list: { getEntries(): Array<{ startTime: number; duration: number }> }) => void) => { observe(opts: Record<string, unknown>): void };
  __benchUi?: Probe;
}

/** Installs window.__benchUi in the page; `opts.rows` is how many rows make the table complete, `opts.namespace` the pods' namespace. */
export function installProbe(opts: { rows: number; namespace: string }): void {
  const w = globalThis as unknown as PageGlobals;
  const ROW = '[data-testid="resource-table"] tbody tr[data-testid="resource-row"]';
  type Rows = () => Map<string, PageElement>;
  interface Waiter {
    check(rows: Rows): boolean;
    done(shown: Shown | null): void;
    deadline: number;
  }
  const waiters = new Set<Waiter>();
  const afterPaint = (cb: (t: number) => void) => w.requestAnimationFrame(() => setTimeout(() => cb(performance.now()), 0));

  // One pass over the waiters: the rows by key are looked up once per pass, and only if a waiter asks.
  const settle = () => {
    if (waiters.size === 0) return;
    let byKey: Map<string, PageElement> | undefined;
    const rows: Rows = () => {
      if (!byKey) {
        byKey = new Map();
        const all = w.document.querySelectorAll(ROW);
        for (let i = 0; i < all.length; i++) byKey.set(all[i]!.getAttribute('data-key') ?? '', all[i]!);
      }
      return byKey;
    };
    const now = performance.now();
    const shown: Waiter[] = [];
    for (const x of waiters) {
      if (x.check(rows)) shown.push(x);
      else if (now > x.deadline) {
        waiters.delete(x);
        x.done(null);
      }
    }
    if (shown.length === 0) return;
    for (const x of shown) waiters.delete(x);
    afterPaint((paintAt) => shown.forEach((x) => x.done({ domAt: now, paintAt })));
  };
  const waitFor = (check: (rows: Rows) => boolean, timeoutMs: number) =>
    new Promise<Shown | null>((resolve) => {
      waiters.add({ check, done: resolve, deadline: performance.now() + timeoutMs });
      settle();
    });
  // Row changes while logging: a row added or given a new version, or removed; each batch stamped with its paint.
  let log: RowChange[] | undefined;
  let lastPaint: Promise<void> = Promise.resolve();
  const isRow = (n: unknown): n is PageElement => (n as { matches?: (s: string) => boolean }).matches?.('tr[data-testid="resource-row"]') ?? false;
  const logChanges = (records: MutationRecordLike[]) => {
    if (!log) return;
    const domAt = w.performance.timeOrigin + performance.now();
    const batch: RowChange[] = [];
    const add = (row: PageElement, gone: boolean) => batch.push({ key: row.getAttribute('data-key') ?? '', rv: gone ? null : rv(row.getAttribute('data-rv')), domAt, paintAt: NaN });
    for (const r of records) {
      if (r.type === 'attributes' && isRow(r.target)) add(r.target, false);
      else if (r.type === 'childList') {
        for (let i = 0; i < r.addedNodes.length; i++) if (isRow(r.addedNodes[i])) add(r.addedNodes[i] as PageElement, false);
        for (let i = 0; i < r.removedNodes.length; i++) if (isRow(r.removedNodes[i])) add(r.removedNodes[i] as PageElement, true);
      }
    }
    if (batch.length === 0) return;
    log.push(...batch);
    lastPaint = new Promise((done) => afterPaint((t) => {
      for (const c of batch) c.paintAt = w.performance.timeOrigin + t;
      done();
    }));
  };
  const rv = (s: string | null | undefined) => Number(s ?? NaN);
  new w.MutationObserver((records) => {
    logChanges(records);
    settle();
  }).observe(w.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rv'] });
  setInterval(settle, 250);

  const longTasks: LongTask[] = [];
  new w.PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });

  w.performance.setResourceTimingBufferSize(100_000);

  const rowCount = () => w.document.querySelectorAll(ROW).length;
  const complete = (n: number) => () => rowCount() === n;

  // Inputs: a click on a row opens its drawer (the drawer's title names the pod); a click on the
  // drawer's close button closes it. Captured on the window before the app's handlers run.
  const inputs: Array<Promise<InputTiming | null>> = [];
  w.addEventListener(
    'click',
    (e) => {
      const target = e.target as PageElement;
      const row = target.closest(ROW);
      const close = target.closest('[data-testid="details-close"]');
      if (!row && !close) return;
      const at = e.timeStamp;
      const name = row?.getAttribute('data-name') ?? '';
      const effect = row
        ? () => (w.document.querySelector('#drawer-title')?.textContent ?? '').endsWith(`${opts.namespace}/${name}`)
        : () => !w.document.querySelector('[data-testid="details-pane"]');
      inputs.push(waitFor(effect, 5000).then((s) => (s ? { kind: row ? 'open' : 'close', dom: s.domAt - at, paint: s.paintAt - at } : null)));
    },
    true,
  );

  w.__benchUi = {
    rowCount,
    switchTo: async (hash, rows, timeoutMs) => {
      const start = performance.now();
      w.location.hash = hash;
      const s = await waitFor(complete(rows), timeoutMs);
      return s ? { ...s, start } : null;
    },
    target: () => {
      const close = w.document.querySelector('[data-testid="details-close"]');
      const centre = (el: PageElement) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      };
      if (close) return { ...centre(close), kind: 'close' as const };
      const scroller = w.document.querySelector('.table-scroll')?.getBoundingClientRect();
      const all = w.document.querySelectorAll(ROW);
      const visible: PageElement[] = [];
      for (let i = 0; i < all.length; i++) {
        const r = all[i]!.getBoundingClientRect();
        if (r.top >= Math.max(0, scroller?.top ?? 0) + r.height && r.bottom <= Math.min(w.innerHeight, scroller?.bottom ?? w.innerHeight) - r.height) visible.push(all[i]!);
      }
      const pick = visible[Math.floor(Math.random() * visible.length)];
      return pick ? { ...centre(pick), kind: 'open' as const } : null;
    },
    inputsSeen: () => inputs.length,
    input: (i) => inputs[i] ?? Promise.resolve(null),
    logRows: ((on: boolean) => {
      if (on) {
        log = [];
        return;
      }
      const out = log ?? [];
      log = undefined;
      return lastPaint.then(() => out);
    }) as Probe['logRows'],
    longTasks: (from, to) => longTasks.filter((t) => t.start >= from && t.start < to),
    requests: (from, to, path) =>
      w.performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname + new URL(e.name).search === path && e.startTime >= from && e.startTime < to)
        .map((e) => ({ start: e.startTime, end: e.responseEnd })),
    now: () => performance.now(),
  };

  // The cold open: from the start of the document to the first frame with every row.
  void waitFor(complete(opts.rows), 60_000).then((s) => {
    if (s && w.__benchUi) w.__benchUi.firstOpen = s;
  });
}

/**
 * The floor, run in the page: fetch the pod list at `url` through the /k8s proxy, parse it, and
 * render the same seven columns as a plain DOM table (createElement, no React), until painted.
 * Resolves with the total and its two parts (ms).
 */
export async function floorRender(url: string): Promise<{ total: number; fetch: number; render: number; rows: number }> {
  const w = globalThis as unknown as PageGlobals & {
    document: { createElement(tag: string): PageDom; body: PageDom };
  };
  interface PageDom {
    className: string;
    textContent: string | null;
    style: Record<string, string>;
    appendChild(child: PageDom): PageDom;
    remove(): void;
  }
  interface FloorPod {
    metadata: { name: string; creationTimestamp?: string; deletionTimestamp?: string };
    spec?: { nodeName?: string; containers?: unknown[] };
    status?: {
      phase?: string;
      podIP?: string;
      containerStatuses?: Array<{ ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }>;
    };
  }
  const start = performance.now();
  const list = (await (await fetch(url)).json()) as { items: FloorPod[] };
  const fetched = performance.now();
  const el = (tag: string, text?: string, cls?: string) => {
    const e = w.document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const age = (ts: string | undefined) => {
    const s = ts ? Math.max(0, Math.floor((Date.now() - Date.parse(ts)) / 1000)) : 0;
    return s < 120 ? `${s}s` : s < 7200 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
  };
  const holder = el('div');
  Object.assign(holder.style, { position: 'fixed', inset: '0', overflow: 'auto', background: 'white', zIndex: '1000' });
  const table = el('table', undefined, 'resource-table');
  const head = el('tr');
  for (const h of ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node']) head.appendChild(el('th', h));
  table.appendChild(el('thead')).appendChild(head);
  const body = table.appendChild(el('tbody'));
  const items = [...list.items].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const p of items) {
    const cs = p.status?.containerStatuses ?? [];
    const reason = cs.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find(Boolean);
    const status = p.metadata.deletionTimestamp ? 'Terminating' : (reason ?? p.status?.phase ?? 'Pending');
    const tr = el('tr');
    tr.appendChild(el('td', p.metadata.name));
    tr.appendChild(el('td', `${cs.filter((c) => c.ready).length}/${p.spec?.containers?.length ?? 0}`));
    tr.appendChild(el('td')).appendChild(el('span', status, status === 'Running' ? 'tone tone-ok' : 'tone'));
    tr.appendChild(el('td', String(cs.reduce((n, c) => n + (c.restartCount ?? 0), 0))));
    tr.appendChild(el('td', age(p.metadata.creationTimestamp)));
    tr.appendChild(el('td', p.status?.podIP ?? '<none>'));
    tr.appendChild(el('td', p.spec?.nodeName ?? '<none>'));
    body.appendChild(tr);
  }
  holder.appendChild(table);
  w.document.body.appendChild(holder);
  const painted = await new Promise<number>((r) => w.requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
  holder.remove();
  return { total: painted - start, fetch: fetched - start, render: painted - fetched, rows: items.length };
}
