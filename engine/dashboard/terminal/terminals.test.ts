import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../index.js';
import { nullLogger } from '../../log/logger.js';
import type { WebSocketConnection } from '../../wire/websocket.js';
import { connectWebSocket } from '../../wire/websocket-client.js';
import type { TerminalServerMessage } from '../contract.js';
import type { ResolveApi } from '../k8s-proxy.js';
import type { TerminalSink } from './backend.js';
import { Terminals, type StartTerminal } from './terminals.js';

let server: Server | undefined;
let terminals: Terminals | undefined;
const homes: string[] = [];

const noApi: ResolveApi = async () => {
  throw new Error('no apiserver in this test');
};

async function serve(opts: { start?: StartTerminal; max?: number; engine?: Engine }): Promise<string> {
  terminals = new Terminals({ engine: opts.engine ?? ({} as Engine), resolveApi: noApi, log: nullLogger, start: opts.start, max: opts.max });
  server = createServer();
  server.on('upgrade', (req, socket, head) => terminals!.accept(req, socket, head));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/terminal`;
}

afterEach(async () => {
  await terminals?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  terminals = undefined;
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** Collects a client's output and its exit message; `closed` resolves when the socket is gone. */
function watch(ws: WebSocketConnection) {
  const seen = { output: '', exit: undefined as TerminalServerMessage | undefined };
  const closed = new Promise<void>((r) => (ws.onClose = () => r()));
  const listeners: Array<() => void> = [];
  ws.onMessage = (data, binary) => {
    if (binary) seen.output += data.toString();
    else seen.exit = JSON.parse(data.toString()) as TerminalServerMessage;
    for (const l of listeners) l();
  };
  const until = (pred: () => boolean, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out; output so far: ${JSON.stringify(seen.output)}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(t);
          resolve();
        }
      };
      listeners.push(check);
      check();
    });
  return { seen, closed, until };
}

/** A terminal that echoes its input, records resizes and ends on request, or exits on "exit N". */
function echoTerminal(log: string[]): StartTerminal {
  return async (target, size, sink: TerminalSink) => {
    log.push(`start ${target.kind} ${size.cols}x${size.rows}`);
    return {
      write: (data) => {
        const m = /^exit (\d+)$/.exec(data.toString());
        if (m) return sink.exit({ code: Number(m[1]) });
        sink.data(Buffer.concat([Buffer.from('echo:'), data]));
      },
      resize: (s) => void log.push(`resize ${s.cols}x${s.rows}`),
      end: async () => void log.push('end'),
    };
  };
}

describe('Terminals', () => {
  it('carries bytes both ways, passes resizes on, and ends the process when the socket closes', async () => {
    const log: string[] = [];
    const url = await serve({ start: echoTerminal(log) });
    const { ws } = await connectWebSocket(`${url}?kind=node&cluster=dev&node=dev-worker&cols=100&rows=30`);
    const w = watch(ws);
    ws.send(Buffer.from('héllo'));
    ws.send(Buffer.from(JSON.stringify({ type: 'resize', cols: 90, rows: 20 })), false);
    await w.until(() => w.seen.output === 'echo:héllo');
    expect(terminals!.size).toBe(1);
    ws.close(1000);
    await w.closed;
    await expect.poll(() => log).toEqual(['start node 100x30', 'resize 90x20', 'end']);
    await expect.poll(() => terminals!.size).toBe(0);
  });

  it('sends the exit code, then closes, when the process ends', async () => {
    const url = await serve({ start: echoTerminal([]) });
    const { ws } = await connectWebSocket(`${url}?kind=host&cluster=dev`);
    const w = watch(ws);
    ws.send(Buffer.from('exit 7'));
    await w.closed;
    expect(w.seen.exit).toEqual({ type: 'exit', code: 7 });
  });

  it('answers a bad request with an exit error and starts nothing', async () => {
    const log: string[] = [];
    const url = await serve({ start: echoTerminal(log) });
    const { ws } = await connectWebSocket(`${url}?kind=pod&cluster=dev&pod=web`);
    const w = watch(ws);
    await w.closed;
    expect(w.seen.exit).toEqual({ type: 'exit', error: 'a pod terminal needs the query parameter "namespace"' });
    expect(log).toEqual([]);
  });

  it('answers a start that fails (unknown node) with its message and hint', async () => {
    const url = await serve({
      start: async () => {
        const { TerminalRequestError } = await import('./terminal-request.js');
        throw new TerminalRequestError('node "nope" is not part of cluster "dev"', 'its nodes are: dev-control-plane');
      },
    });
    const { ws } = await connectWebSocket(`${url}?kind=node&cluster=dev&node=nope`);
    const w = watch(ws);
    await w.closed;
    expect(w.seen.exit).toEqual({ type: 'exit', error: 'node "nope" is not part of cluster "dev" (its nodes are: dev-control-plane)' });
    expect(terminals!.size).toBe(0);
  });

  it('refuses terminals past the limit', async () => {
    const url = await serve({ start: echoTerminal([]), max: 2 });
    const open = [await connectWebSocket(`${url}?kind=host&cluster=dev`), await connectWebSocket(`${url}?kind=host&cluster=dev`)];
    await expect.poll(() => terminals!.size).toBe(2);
    const third = await connectWebSocket(`${url}?kind=host&cluster=dev`);
    const w = watch(third.ws);
    await w.closed;
    expect(w.seen.exit?.error).toBe('too many terminals: at most 2 run at once (close some terminal tabs first)');
    for (const c of open) c.ws.destroy();
  });

  it('close() ends every terminal, telling each socket why', async () => {
    const log: string[] = [];
    const url = await serve({ start: echoTerminal(log) });
    const a = watch((await connectWebSocket(`${url}?kind=host&cluster=dev`)).ws);
    const b = watch((await connectWebSocket(`${url}?kind=host&cluster=dev`)).ws);
    await expect.poll(() => terminals!.size).toBe(2);
    await terminals!.close();
    expect(log.filter((l) => l === 'end')).toHaveLength(2);
    await Promise.all([a.closed, b.closed]);
    expect(a.seen.exit).toEqual({ type: 'exit', error: 'the dashboard is stopping' });
  });
});

describe('host shells (real node-pty)', () => {
  // The user's own shell start-up files can take seconds (pyenv, nvm): sh with its profile is enough here.
  const shell = process.env.SHELL;
  beforeAll(() => {
    process.env.SHELL = '/bin/sh';
  });
  afterAll(() => {
    if (shell === undefined) delete process.env.SHELL;
    else process.env.SHELL = shell;
  });

  function fakeEngine(): Engine {
    const home = mkdtempSync(join(tmpdir(), 'kubelab-term-'));
    homes.push(home);
    const clusters = {
      kubeconfig: async (c: string) => `apiVersion: v1\nkind: Config\ncurrent-context: kubelab-${c}\n`,
      dockerEnv: async (c: string) => ({ cluster: c, node: `${c}-control-plane`, host: 'tcp://127.0.0.1:32801', certPath: join(home, 'clusters', c, 'docker') }),
    };
    return { home, clusters } as unknown as Engine;
  }

  it('runs a shell with KUBECONFIG (a 0600 file for that cluster), docker-env and TERM, and reports its exit code', async () => {
    const engine = fakeEngine();
    const url = await serve({ engine });
    const { ws } = await connectWebSocket(`${url}?kind=host&cluster=dev&cols=120&rows=30`);
    const w = watch(ws);
    ws.send(Buffer.from('echo "K=$KUBECONFIG D=$DOCKER_HOST T=$TERM A=$KUBELAB_DOCKER_ENV S=$(stty size)"; exit 3\r'));
    await w.closed;
    const file = join(engine.home, 'clusters', 'dev', 'kubeconfig');
    expect(w.seen.output).toContain(`K=${file} D=tcp://127.0.0.1:32801 T=xterm-256color A=dev/dev-control-plane S=30 120`);
    expect(w.seen.exit).toEqual({ type: 'exit', code: 3 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('kills the shell (and only it) when the socket closes', async () => {
    const url = await serve({ engine: fakeEngine() });
    const { ws } = await connectWebSocket(`${url}?kind=host&cluster=dev`);
    const w = watch(ws);
    ws.send(Buffer.from('echo ready-$$\r'));
    await w.until(() => /ready-\d+/.test(w.seen.output));
    const pid = Number(/ready-(\d+)/.exec(w.seen.output)![1]);
    expect([...terminals!.pids]).toEqual([pid]);
    ws.close(1000);
    await expect.poll(() => terminals!.pids.size, { timeout: 5000 }).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
