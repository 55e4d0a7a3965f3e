// The open terminals: each an xterm.js Terminal on a /terminal socket. They live outside React so
// that they keep running (and keep their screen) while the user switches tabs, views or clusters;
// the view only attaches the active one's element to the page.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { TerminalServerMessage, TerminalTarget } from '../../../engine/dashboard/contract';
import { exitLine, parseServerMessage, terminalTitle, terminalUrl } from './terminal-target';

/** One terminal tab. */
export interface TerminalSession {
  id: string;
  target: TerminalTarget;
  title: string;
  state: 'connecting' | 'running' | 'exited';
  /** The exit message, once the process is gone. */
  exit?: TerminalServerMessage;
  term: Terminal;
  /** The element xterm renders into; moved into the view while the tab is shown. */
  element: HTMLDivElement;
}

interface Internal extends TerminalSession {
  fit: FitAddon;
  socket?: WebSocket;
  opened: boolean;
}

const encoder = new TextEncoder();

/** Every open terminal of this page, with the selected one. */
export class TerminalSessions {
  private sessions: Internal[] = [];
  private listeners = new Set<() => void>();
  private snap: { sessions: readonly TerminalSession[]; active?: string } = { sessions: [] };
  private next = 1;

  /** For useSyncExternalStore. */
  subscribe = (cb: () => void): (() => void) => {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  };

  /** The tabs and the selected one (a new object after every change). */
  snapshot = (): { sessions: readonly TerminalSession[]; active?: string } => this.snap;

  /** Opens a new tab for `target` and selects it; its socket opens when it is first shown (and so has a size). */
  open(target: TerminalTarget): TerminalSession {
    const element = document.createElement('div');
    element.className = 'terminal-host';
    const term = new Terminal({ cursorBlink: true, fontSize: 13, scrollback: 5000, fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace' });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const s: Internal = { id: `t${this.next++}`, target, title: terminalTitle(target), state: 'connecting', term, element, fit, opened: false };
    this.sessions = [...this.sessions, s];
    this.emit(s.id);
    return s;
  }

  /** Selects a tab. */
  select(id: string): void {
    if (this.sessions.some((s) => s.id === id)) this.emit(id);
  }

  /** Closes a tab: its socket (which ends the process on the server) and its terminal. */
  close(id: string): void {
    const i = this.sessions.findIndex((s) => s.id === id);
    if (i < 0) return;
    const s = this.sessions[i]!;
    s.socket?.close(1000);
    s.term.dispose();
    s.element.remove();
    this.sessions = this.sessions.filter((x) => x !== s);
    const active = this.snap.active === id ? (this.sessions[i] ?? this.sessions[i - 1])?.id : this.snap.active;
    this.emit(active);
  }

  /** Puts tab `id`'s terminal into `container` (opening it the first time), fits it and focuses it. */
  attach(id: string, container: HTMLElement): void {
    const s = this.sessions.find((x) => x.id === id);
    if (!s) return;
    if (s.element.parentElement !== container) container.replaceChildren(s.element);
    if (!s.opened) {
      s.opened = true;
      s.term.open(s.element);
    }
    this.fit(id);
    if (!s.socket && s.state === 'connecting') this.connect(s);
    s.term.focus();
  }

  /** Fits tab `id` to its element (after the element changed size); the size change goes to the server. */
  fit(id: string): void {
    const s = this.sessions.find((x) => x.id === id);
    if (!s?.opened || !s.element.isConnected || s.element.clientWidth === 0) return;
    try {
      s.fit.fit();
    } catch {
      // Not measurable yet (hidden); the next resize fits it.
    }
  }

  private connect(s: Internal): void {
    const ws = new WebSocket(terminalUrl(location, s.target, { cols: s.term.cols, rows: s.term.rows }));
    ws.binaryType = 'arraybuffer';
    s.socket = ws;
    let exit: TerminalServerMessage | undefined;
    ws.onopen = () => this.update(s, { state: 'running' });
    ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
      if (typeof e.data === 'string') exit = parseServerMessage(e.data) ?? exit;
      else s.term.write(new Uint8Array(e.data));
    };
    ws.onclose = () => {
      if (s.state === 'exited') return;
      s.term.write(`\r\n\x1b[2m${exitLine(exit)}\x1b[0m\r\n`);
      this.update(s, { state: 'exited', exit });
    };
    const send = (data: Uint8Array<ArrayBuffer> | string) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data);
    };
    s.term.onData((text) => send(encoder.encode(text)));
    s.term.onBinary((text) => send(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)));
    s.term.onResize(({ cols, rows }) => send(JSON.stringify({ type: 'resize', cols, rows })));
  }

  private update(s: Internal, patch: Partial<Pick<TerminalSession, 'state' | 'exit'>>): void {
    Object.assign(s, patch);
    // A new object for the changed tab, so React sees the change.
    this.sessions = this.sessions.map((x) => (x === s ? s : x));
    this.emit(this.snap.active);
  }

  private emit(active: string | undefined): void {
    this.snap = { sessions: this.sessions.map((s) => ({ ...s })), active };
    for (const l of this.listeners) l();
  }
}

/** The page's terminals (one set per page: they outlive every view). */
export const terminalSessions = new TerminalSessions();
