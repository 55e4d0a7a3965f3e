// npm run bench:api: apiserver latency on a real etcd, each figure beside etcd's own latency for
// the same operation measured in the same run (the floor): single-object GET, create and update at
// a steady rate, LIST of 1,000 ConfigMaps, and watch delivery (write sent → event received).
import { Agent, request } from 'node:https';
import { EtcdClient } from '../engine/store/etcd-client.js';
import { startTestApiServer } from '../test/helpers/apiserver.js';
import { startEtcd } from '../test/helpers/etcd.js';

const N = Number(process.env.BENCH_N ?? 400);
const RATE = Number(process.env.BENCH_RATE ?? 100); // requests per second for single-object operations
const LISTS = Number(process.env.BENCH_LISTS ?? 40);

const api = await startTestApiServer();
const floorEtcd = await startEtcd();
const etcd = new EtcdClient(floorEtcd.endpoint);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function call(method: string, path: string, body?: unknown): Promise<{ code: number; body: string }> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1', port: api.port, method, path, agent, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, servername: 'localhost',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(data ? { 'content-length': data.length } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function ok(p: Promise<{ code: number; body: string }>): Promise<string> {
  const r = await p;
  if (r.code >= 300) throw new Error(`${r.code}: ${r.body.slice(0, 200)}`);
  return r.body;
}

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/** Runs `op(i)` n times at `rate` per second (steady, not back-to-back); returns each latency in ms. */
async function paced(n: number, rate: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = process.hrtime.bigint();
    await op(i);
    out.push(ms(t));
  }
  return out;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const rows: string[][] = [];
function report(what: string, kubelab: number[], floor: number[]): void {
  const [k50, k99, f50, f99] = [pct(kubelab, 50), pct(kubelab, 99), pct(floor, 50), pct(floor, 99)];
  rows.push([what, `${k50.toFixed(2)} ms`, `${k99.toFixed(2)} ms`, `${f50.toFixed(2)} ms`, `${f99.toFixed(2)} ms`, `${(k50 / f50).toFixed(1)}×`]);
}

const NS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } });
const key = (name: string) => `/bench/configmaps/default/${name}`;

// Warm-up: connections, JIT, caches.
for (let i = 0; i < 50; i++) {
  await ok(call('POST', NS, cm(`warm-${i}`, 'x')));
  await ok(call('GET', `${NS}/warm-${i}`));
  await etcd.putIf(key(`warm-${i}`), Buffer.from(JSON.stringify(cm(`warm-${i}`, 'x'))), 0);
}

// Create.
const createK = await paced(N, RATE, (i) => ok(call('POST', NS, cm(`obj-${i}`, '0'))));
const createF = await paced(N, RATE, (i) => etcd.putIf(key(`obj-${i}`), Buffer.from(JSON.stringify(cm(`obj-${i}`, '0'))), 0));
report('create', createK, createF);

// GET.
const getK = await paced(N, RATE, (i) => ok(call('GET', `${NS}/obj-${i}`)));
const getF = await paced(N, RATE, (i) => etcd.range({ key: key(`obj-${i}`) }));
report('get', getK, getF);

// Update (PUT with the current resourceVersion; the floor is a compare-and-swap on the key).
const current = new Map<number, Record<string, unknown>>();
for (let i = 0; i < N; i++) current.set(i, JSON.parse(await ok(call('GET', `${NS}/obj-${i}`))) as Record<string, unknown>);
const updateK = await paced(N, RATE, (i) => ok(call('PUT', `${NS}/obj-${i}`, { ...current.get(i)!, data: { v: '1' } })));
const revs = new Map<number, number>();
for (let i = 0; i < N; i++) revs.set(i, (await etcd.range({ key: key(`obj-${i}`) })).kvs[0]!.modRevision);
const updateF = await paced(N, RATE, (i) => etcd.putIf(key(`obj-${i}`), Buffer.from(JSON.stringify(cm(`obj-${i}`, '1'))), revs.get(i)!));
report('update', updateK, updateF);

// LIST of 1,000 (fill to 1,000 in a namespace of their own).
await ok(call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'list' } }));
for (let i = 0; i < 1000; i++) {
  await ok(call('POST', '/api/v1/namespaces/list/configmaps', cm(`l-${String(i).padStart(4, '0')}`, 'x'.repeat(100))));
  await etcd.putIf(`/bench/configmaps/list/l-${String(i).padStart(4, '0')}`, Buffer.from(JSON.stringify(cm(`l-${i}`, 'x'.repeat(100)))), 0);
}
const listK = await paced(LISTS, 10, async () => {
  const body = await ok(call('GET', '/api/v1/namespaces/list/configmaps'));
  if ((JSON.parse(body) as { items: unknown[] }).items.length !== 1000) throw new Error('list is not 1,000 long');
});
const listF = await paced(LISTS, 10, async () => {
  const r = await etcd.range({ key: '/bench/configmaps/list/', prefix: true });
  if (r.kvs.length !== 1000) throw new Error('etcd list is not 1,000 long');
  r.kvs.map((kv) => JSON.parse(kv.value.toString()));
});
report('list 1,000 ConfigMaps', listK, listF);

// Watch delivery: a watch on the namespace; the time from sending an update to its event arriving.
async function watchLatency(n: number, open: (onEvent: (name: string) => void) => () => void, write: (i: number) => Promise<unknown>): Promise<number[]> {
  const pending = new Map<string, bigint>();
  const out: number[] = [];
  const close = open((name) => {
    const t = pending.get(name);
    if (t !== undefined) {
      out.push(ms(t));
      pending.delete(name);
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  await paced(n, RATE, async (i) => {
    pending.set(`obj-${i}`, process.hrtime.bigint());
    await write(i);
  });
  const deadline = Date.now() + 5000;
  while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  close();
  return out;
}

const watchK = await watchLatency(
  N,
  (onEvent) => {
    const req = request(
      { host: '127.0.0.1', port: api.port, method: 'GET', path: `${NS}?watch=1&resourceVersion=0`, ca: api.ca.cert, cert: api.admin.cert, key: api.admin.key, servername: 'localhost' },
      (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const e = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
            if (e.type === 'MODIFIED') onEvent(e.object.metadata.name);
          }
        });
      },
    );
    req.end();
    return () => req.destroy();
  },
  async (i) => {
    const obj = JSON.parse(await ok(call('GET', `${NS}/obj-${i}`))) as Record<string, unknown>;
    await ok(call('PUT', `${NS}/obj-${i}`, { ...obj, data: { v: '2' } }));
  },
);
const watchF = await watchLatency(
  N,
  (onEvent) => {
    const w = etcd.watch('/bench/configmaps/default/', 0, (events) => {
      for (const e of events) onEvent(e.kv.key.split('/').pop()!);
    }, () => {});
    return () => w.cancel();
  },
  // Read then compare-and-swap, as the apiserver side does (GET, then PUT).
  async (i) => {
    const rev = (await etcd.range({ key: key(`obj-${i}`) })).kvs[0]!.modRevision;
    await etcd.putIf(key(`obj-${i}`), Buffer.from(JSON.stringify(cm(`obj-${i}`, '3'))), rev);
  },
);
report('watch delivery (write → event)', watchK, watchF);

console.log(`\napiserver vs etcd (the floor), ${N} single-object operations at ${RATE}/s, ${LISTS} lists\n`);
const header = ['operation', 'kubelab p50', 'kubelab p99', 'etcd p50', 'etcd p99', 'p50 ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

agent.destroy();
etcd.close();
await floorEtcd.stop();
await api.stop();
