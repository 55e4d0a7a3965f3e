// Probes of one container attempt: startup first, then liveness and readiness on their own
// periods, each an exec in the container, an HTTP GET or a TCP connect from the node to the pod.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { DockerApi } from './docker-api.js';
import type { Container, Probe } from './pod-types.js';

/** Outcome of one probe run. */
export interface ProbeOutcome {
  ok: boolean;
  message: string;
}

export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness';

/** Resolves a named port against the container's ports. */
export function resolvePort(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Runs a probe's action once. */
export async function runProbe(probe: Probe, ctx: { docker: DockerApi; containerId: string; podIP?: string; container: Container }): Promise<ProbeOutcome> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) return execProbe(ctx.docker, ctx.containerId, probe.exec.command ?? [], timeoutMs);
  if (probe.httpGet) {
    const port = resolvePort(ctx.container, probe.httpGet.port);
    if (port === undefined) return { ok: false, message: `port "${probe.httpGet.port}" is not a named port of the container` };
    return httpProbe(probe.httpGet.scheme === 'HTTPS', probe.httpGet.host || ctx.podIP || '127.0.0.1', port, probe.httpGet.path || '/', probe.httpGet.httpHeaders ?? [], timeoutMs);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(ctx.container, probe.tcpSocket.port);
    if (port === undefined) return { ok: false, message: `port "${probe.tcpSocket.port}" is not a named port of the container` };
    return tcpProbe(probe.tcpSocket.host || ctx.podIP || '127.0.0.1', port, timeoutMs);
  }
  if (probe.grpc) return { ok: false, message: 'gRPC probes are not supported by this node agent yet' };
  return { ok: false, message: 'the probe has no action' };
}

async function execProbe(docker: DockerApi, containerId: string, cmd: string[], timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const exec = await docker.createExec(containerId, { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const res = await docker.stream({ method: 'POST', path: `/exec/${exec}/start`, body: { Detach: false, Tty: false }, timeoutMs });
    let out = '';
    for await (const chunk of res) out += (chunk as Buffer).toString('latin1');
    const info = await docker.inspectExec(exec);
    // Strip the 8-byte frame headers crudely for the message; only its text matters here.
    const text = out.replace(/[\x00-\x08][\x00-\xff]{7}/g, '').trim();
    if (info.ExitCode === 0) return { ok: true, message: text };
    return { ok: false, message: text || `command ${JSON.stringify(cmd.join(' '))} exited with ${info.ExitCode}` };
  } catch (err) {
    if (/no answer in time/.test((err as Error).message)) return { ok: false, message: `command timed out: "${cmd.join(' ')}" timed out after ${timeoutMs / 1000}s` };
    return { ok: false, message: (err as Error).message };
  }
}

function httpProbe(tls: boolean, host: string, port: number, path: string, headers: Array<{ name: string; value: string }>, timeoutMs: number): Promise<ProbeOutcome> {
  const url = `${tls ? 'https' : 'http'}://${host}:${port}${path}`;
  return new Promise((resolve) => {
    const hdrs: Record<string, string> = { 'user-agent': 'kube-probe/1.34', accept: '*/*' };
    for (const h of headers) hdrs[h.name.toLowerCase()] = h.value;
    const send = tls ? httpsRequest : httpRequest;
    const req = send({ host, port, path, method: 'GET', headers: hdrs, timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, message: `Get "${url}": dial tcp ${host}:${port}: ${dialMessage(err)}` }));
    req.end();
  });
}

function dialMessage(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connect: connection refused';
  if (err.code === 'EHOSTUNREACH') return 'connect: no route to host';
  return err.message;
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: '' });
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${dialMessage(err)}` }));
  });
}

/** Callbacks of a container's probes. */
export interface ProbeEvents {
  /** Started or ready changed: the pod's status should be rewritten. */
  changed(): void;
  /** A probe failed (Unhealthy event). */
  failed(kind: ProbeKind, message: string): void;
  /** Liveness or startup failed past its threshold: the container must be restarted. */
  kill(kind: ProbeKind, message: string): void;
}

/** Counts consecutive results against a probe's thresholds. */
export class ProbeCounter {
  private successes = 0;
  private failures = 0;
  constructor(private readonly probe: Probe) {}

  /** Adds a result; answers 'pass' or 'fail' when a threshold is crossed, else undefined. */
  add(ok: boolean): 'pass' | 'fail' | undefined {
    if (ok) {
      this.failures = 0;
      this.successes += 1;
      return this.successes >= (this.probe.successThreshold ?? 1) ? 'pass' : undefined;
    }
    this.successes = 0;
    this.failures += 1;
    return this.failures >= (this.probe.failureThreshold ?? 3) ? 'fail' : undefined;
  }
}

/** The probes of one running container attempt; `stop()` when the attempt ends. */
export class ContainerProbes {
  started: boolean;
  ready: boolean;
  private readonly timers = new Map<ProbeKind, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly container: Container,
    private readonly ctx: { docker: DockerApi; containerId: string; podIP?: string },
    private readonly on: ProbeEvents,
  ) {
    this.started = !container.startupProbe;
    this.ready = !container.readinessProbe && this.started;
    if (container.startupProbe) this.loop('Startup', container.startupProbe);
    else this.startMain();
  }

  private startMain(): void {
    if (this.container.livenessProbe) this.loop('Liveness', this.container.livenessProbe);
    if (this.container.readinessProbe) this.loop('Readiness', this.container.readinessProbe);
    else if (!this.ready) {
      this.ready = true;
      this.on.changed();
    }
  }

  private loop(kind: ProbeKind, probe: Probe): void {
    const counter = new ProbeCounter(probe);
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    const tick = async () => {
      if (this.stopped) return;
      const outcome = await runProbe(probe, { ...this.ctx, container: this.container });
      if (this.stopped) return;
      if (!outcome.ok) this.on.failed(kind, outcome.message);
      const verdict = counter.add(outcome.ok);
      if (kind === 'Startup') {
        if (verdict === 'pass') {
          this.started = true;
          this.on.changed();
          this.startMain();
          return;
        }
        if (verdict === 'fail') return this.on.kill(kind, outcome.message);
      } else if (kind === 'Liveness') {
        if (verdict === 'fail') return this.on.kill(kind, outcome.message);
      } else if (verdict) {
        const ready = verdict === 'pass';
        if (ready !== this.ready) {
          this.ready = ready;
          this.on.changed();
        }
      }
      this.timers.set(kind, setTimeout(() => void tick(), period));
    };
    this.timers.set(kind, setTimeout(() => void tick(), Math.max(0, probe.initialDelaySeconds ?? 0) * 1000));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }
}
