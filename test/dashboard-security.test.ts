// The dashboard server's gate, tested with real HTTP requests and real WebSocket handshakes
// against the real server and a real Engine over a scratch KUBELAB_HOME. No cluster is needed,
// and Docker may be up or down: the engine's health must then be reported, not crash anything.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../engine/dashboard/server.js';
import { createEngine } from '../engine/index.js';
import { encodeFrame, OP } from '../engine/wire/websocket-frames.js';
import { nextMessage, raw, seenHeaders, signIn, wsConnect } from './helpers/dashboard.js';

let dir: string;
let dash: Dashboard;
let port: number;
let cookie: string;
const own = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelab-dashboard-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>kubelab</title><script src="/app.js"></script>');
  writeFileSync(join(renderer, 'app.js'), 'document.title = "kubelab";');
  writeFileSync(join(dir, 'secret.js'), 'secret');
  const engine = createEngine({ home: join(dir, 'home') });
  dash = await startDashboard({ engine, rendererDir: renderer, pingMs: 300 });
  port = dash.port;
});

afterAll(async () => {
  await dash?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('launch token', () => {
  it('refuses a wrong token without using up the real one', async () => {
    const res = await raw(port, 'GET', '/?token=not-the-token');
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('is not used up by a HEAD request (link previews)', async () => {
    const res = await raw(port, 'HEAD', new URL(dash.launchUrl).search.replace(/^/, '/'));
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('exchanges the token once for an HttpOnly, SameSite=Strict session cookie and redirects to /', async () => {
    expect(dash.launchUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const token = new URL(dash.launchUrl).searchParams.get('token')!;
    const res = await raw(port, 'GET', `/?token=${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const set = res.headers['set-cookie'];
    expect(set).toHaveLength(1);
    const parts = set![0]!.split(';').map((p) => p.trim());
    const [name, value] = parts[0]!.split('=');
    expect(name).toBe(`kubelab_dashboard_${port}`);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value).not.toBe(token);
    expect(parts.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
    cookie = parts[0]!;
  });

  it('refuses the token the second time, saying to run `kubelab dashboard` again', async () => {
    const res = await raw(port, 'GET', new URL(dash.launchUrl).search.replace(/^/, '/'));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('kubelab dashboard');
    expect(res.headers['set-cookie']).toBeUndefined();
    await expect(signIn(port, dash.launchUrl)).rejects.toThrow(/sign-in failed: 403/);
  });

  it('sends a browser that already has the session home instead', async () => {
    const res = await raw(port, 'GET', new URL(dash.launchUrl).search.replace(/^/, '/'), { cookie });
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('session cookie', () => {
  it.each([
    ['GET', '/api/engine'],
    ['GET', '/api/clusters'],
    ['GET', '/api/operations/x'],
    ['GET', '/k8s/kubelab/api/v1/pods'],
    ['GET', '/k8s/kubelab/api/v1/pods?watch=1'],
  ])('is required for %s %s (401 JSON)', async (method, path) => {
    const res = await raw(port, method, path);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ error: expect.any(String), hint: expect.stringContaining('kubelab dashboard') });
  });

  it('is required for POST and DELETE too, even from our own origin', async () => {
    const post = await raw(port, 'POST', '/api/clusters', { origin: own(), 'content-type': 'application/json' }, '{"name":"x","nodes":1}');
    const del = await raw(port, 'DELETE', '/api/clusters/kubelab', { origin: own() });
    expect([post.status, del.status]).toEqual([401, 401]);
  });

  it('is required for documents (401 with a page saying how to get in)', async () => {
    for (const path of ['/', '/app.js', '/pods']) {
      const res = await raw(port, 'GET', path);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('kubelab dashboard');
      expect(res.body).not.toContain('app.js');
    }
  });

  it('is required for the WebSocket, and a made-up or other-port cookie does not pass', async () => {
    for (const c of [undefined, `kubelab_dashboard_${port}=forged`, `kubelab_dashboard_${port + 1}=${cookie.split('=')[1]}`]) {
      const ws = await wsConnect(port, '/ws', { origin: own(), ...(c ? { cookie: c } : {}) });
      expect(ws.ok).toBe(false);
      if (!ws.ok) expect(ws.status).toBe(401);
    }
  });

  it('opens the app, with the document security headers', async () => {
    const res = await raw(port, 'GET', '/', { cookie });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<script src="/app.js">');
    const csp = String(res.headers['content-security-policy']).split('; ');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const js = await raw(port, 'GET', '/app.js', { cookie });
    expect([js.status, js.headers['content-type'], js.body]).toEqual([200, 'text/javascript; charset=utf-8', 'document.title = "kubelab";']);
    // Outside the renderer's folder: dir/secret.js exists, but is not served.
    expect((await raw(port, 'GET', '/../secret.js', { cookie })).status).toBe(404);
    expect((await raw(port, 'GET', '/%2e%2e/secret.js', { cookie })).status).toBe(404);
    expect((await raw(port, 'GET', '/missing.js', { cookie })).status).toBe(404);
  });
});

describe('Host header (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1:1', '127.0.0.1', 'localhost.evil.example:PORT', '[::1]:PORT'])('refuses Host %s even with the session', async (hostTemplate) => {
    const host = hostTemplate.replace('PORT', String(port));
    for (const path of ['/', '/api/engine', '/k8s/kubelab/api/v1/pods']) {
      const res = await raw(port, 'GET', path, { host, cookie });
      expect(res.status, `${host} ${path}`).toBe(403);
    }
  });

  it('refuses a foreign Host on the WebSocket', async () => {
    const ws = await wsConnect(port, '/ws', { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}`, cookie });
    expect(ws.ok).toBe(false);
    if (!ws.ok) expect(ws.status).toBe(403);
  });

  it('refuses a foreign Host on the launch URL (the token stays unusable from there)', async () => {
    const res = await raw(port, 'GET', '/?token=x', { host: `rebind.example:${port}` });
    expect(res.status).toBe(403);
  });

  it('answers as localhost:PORT too', async () => {
    const res = await raw(port, 'GET', '/api/engine', { host: `localhost:${port}`, cookie });
    expect(res.status).toBe(200);
  });
});

describe('Origin header (cross-site requests, WebSocket hijacking)', () => {
  it.each(['http://evil.example', 'http://127.0.0.1:1', 'null', 'https://127.0.0.1:PORT', 'http://127.0.0.1:PORT.evil.example'])('refuses POST and DELETE from Origin %s even with the session', async (originTemplate) => {
    const origin = originTemplate.replace('PORT', String(port));
    const post = await raw(port, 'POST', '/api/clusters', { origin, cookie, 'content-type': 'application/json' }, '{"name":"x","nodes":1}');
    const del = await raw(port, 'DELETE', '/api/clusters/kubelab', { origin, cookie });
    const k8s = await raw(port, 'POST', '/k8s/kubelab/api/v1/namespaces', { origin, cookie, 'content-type': 'application/json' }, '{}');
    expect([post.status, del.status, k8s.status]).toEqual([403, 403, 403]);
  });

  it('refuses POST without any Origin', async () => {
    const res = await raw(port, 'POST', '/api/clusters', { cookie, 'content-type': 'application/json' }, '{"name":"x","nodes":1}');
    expect(res.status).toBe(403);
  });

  it('refuses a cross-origin GET that announces its Origin', async () => {
    const res = await raw(port, 'GET', '/api/clusters', { origin: 'http://evil.example', cookie });
    expect(res.status).toBe(403);
  });

  it.each([['a foreign Origin', 'http://evil.example'], ['another port', 'http://localhost:1'], ['no Origin', undefined]])('refuses a WebSocket with %s', async (_n, origin) => {
    const ws = await wsConnect(port, '/ws', { cookie, ...(origin ? { origin } : {}) });
    expect(ws.ok).toBe(false);
    if (!ws.ok) expect(ws.status).toBe(403);
  });

  // The terminal socket starts shells on the host: it passes the same gate as /ws, before any shell is made.
  it.each([
    ['no session cookie', { origin: 'own' }, 401],
    ['a forged cookie', { origin: 'own', cookie: 'forged' }, 401],
    ['a foreign Origin', { origin: 'http://evil.example', cookie: 'real' }, 403],
    ['no Origin', { cookie: 'real' }, 403],
    ['a foreign Host', { host: 'attacker.example', origin: 'http://attacker.example', cookie: 'real' }, 403],
  ] as const)('refuses the terminal socket with %s', async (_n, req, status) => {
    const headers: Record<string, string> = {};
    if ('origin' in req) headers.origin = req.origin === 'own' ? own() : req.origin;
    if ('cookie' in req) headers.cookie = req.cookie === 'real' ? cookie : `kubelab_dashboard_${port}=forged`;
    if ('host' in req) headers.host = `${req.host}:${port}`;
    const ws = await wsConnect(port, '/terminal?kind=host&cluster=nope', headers);
    expect(ws.ok).toBe(false);
    if (!ws.ok) expect(ws.status).toBe(status);
  });

  it('answers a preflight without any CORS header', async () => {
    const res = await raw(port, 'OPTIONS', '/api/clusters', { origin: own(), cookie, 'access-control-request-method': 'POST' });
    expect(res.status).toBe(405);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('with the session, from our origin', () => {
  it('reports the Docker engine as ok, or down with what to do', async () => {
    const res = await raw(port, 'GET', '/api/engine', { cookie });
    expect(res.status).toBe(200);
    const health = JSON.parse(res.body) as { docker: string; message?: string; hint?: string };
    expect(['ok', 'down']).toContain(health.docker);
    if (health.docker === 'down') {
      expect(health.message).toMatch(/Docker/);
      expect(health.hint).toBeTruthy();
    }
  });

  it('validates a create request as the CLI does (400 with a hint)', async () => {
    const bad = await raw(port, 'POST', '/api/clusters', { origin: own(), cookie, 'content-type': 'application/json' }, '{"name":"Bad_Name","nodes":1}');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: 'invalid cluster name "Bad_Name"', hint: expect.stringContaining('lowercase') });
    const many = await raw(port, 'POST', '/api/clusters', { origin: `http://localhost:${port}`, host: `localhost:${port}`, cookie, 'content-type': 'application/json' }, '{"name":"dev","nodes":11}');
    expect(many.status).toBe(400);
    expect(JSON.parse(many.body).hint).toContain('between 1 and 10');
  });

  it('says why /k8s cannot reach a cluster that does not exist', async () => {
    const res = await raw(port, 'GET', '/k8s/no-such-cluster-zz/api/v1/pods', { cookie });
    expect([404, 503]).toContain(res.status);
    expect(JSON.parse(res.body)).toMatchObject({ error: expect.any(String), hint: expect.any(String) });
  });

  it('opens the WebSocket: a valid accept key, the engine state first, errors for unknown operations', async () => {
    const ws = await wsConnect(port, '/ws', { origin: own(), cookie });
    expect(ws.ok).toBe(true);
    if (!ws.ok) return;
    expect(ws.headers['sec-websocket-accept']).toBe(createHash('sha1').update(`${ws.key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64'));
    expect(await nextMessage(ws)).toMatchObject({ type: 'engine', engine: { docker: expect.stringMatching(/^(ok|down)$/) } });
    ws.send('{"id":"s1","op":"operation","operation":"nope"}');
    let msg = await nextMessage(ws);
    while (msg.type === 'clusters') msg = await nextMessage(ws);
    expect(msg).toEqual({ id: 's1', type: 'error', error: 'no operation "nope"' });
    ws.socket.destroy();
  });

  it('pings sockets and drops one that never answers', async () => {
    const ws = await wsConnect(port, '/ws', { origin: own(), cookie });
    if (!ws.ok) throw new Error('refused');
    const closed = new Promise<number>((r) => {
      const t0 = Date.now();
      ws.socket.on('close', () => r(Date.now() - t0));
    });
    let ping;
    do ping = await ws.frames();
    while (ping.opcode !== OP.ping);
    // pingMs is 300 in this suite: a socket that answers no ping is gone after the next round.
    expect(await closed).toBeLessThan(3000);
  });
});

describe('heartbeat', () => {
  it('keeps a socket that answers its pings', async () => {
    const ws = await wsConnect(port, '/ws', { origin: own(), cookie });
    if (!ws.ok) throw new Error('refused');
    let closed = false;
    ws.socket.on('close', () => (closed = true));
    let pings = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const f = await Promise.race([ws.frames(), new Promise<undefined>((r) => setTimeout(r, until - Date.now()))]);
      if (f?.opcode === OP.ping) {
        pings++;
        ws.socket.write(encodeFrame(OP.pong, f.payload, { mask: randomBytes(4) }));
      }
    }
    // pingMs is 300: several rounds passed, each answered.
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(closed).toBe(false);
    ws.socket.destroy();
  });
});

describe('without a built UI', () => {
  it('serves a page saying how to build it, with the session', async () => {
    const bare = await startDashboard({ engine: createEngine({ home: join(dir, 'home2') }), rendererDir: join(dir, 'not-built') });
    try {
      const c = await signIn(bare.port, bare.launchUrl);
      const res = await raw(bare.port, 'GET', '/', { cookie: c, host: `127.0.0.1:${bare.port}` });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('npm run build');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      // The cookie of one dashboard does not open another.
      expect((await raw(port, 'GET', '/api/engine', { cookie: c })).status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});

describe('listening', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(dash.url).toBe(`http://127.0.0.1:${port}/`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port });
        s.on('connect', () => (s.destroy(), resolve('connected')));
        s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(outcome, address).not.toBe('connected');
    }
  });

  it('never sent a CORS header, in any answer of this suite', () => {
    expect(seenHeaders.length).toBeGreaterThan(30);
    expect(seenHeaders.filter((h) => Object.keys(h).some((k) => k.startsWith('access-control-')))).toEqual([]);
  });
});
