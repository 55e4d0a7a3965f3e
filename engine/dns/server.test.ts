// The server over real sockets, on loopback only: clients, upstreams and the server all live on
// 127.0.0.1 with ports the system picks.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterIndex, SERVICE_NAME_LABEL } from './cluster-index.js';
import { parseResolvConf, type Upstream } from './forward.js';
import { CLASS_IN, decodeMessage, encodeMessage, optRecord, RCODE, TYPE, type Message } from './message.js';
import { DnsServer, OUR_UDP_SIZE } from './server.js';
import { answer } from './zone.js';

const LOOPBACK = '127.0.0.1';

function query(name: string, type: number = TYPE.A, over: Partial<Message> = {}): Message {
  return {
    id: Math.floor(Math.random() * 0x10000), qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0,
    questions: [{ name, type, class: CLASS_IN }], answers: [], authorities: [], additionals: [], ...over,
  };
}

/** Sends one datagram from a fresh socket; resolves with the first reply, or undefined after `waitMs`. */
function udpExchange(port: number, payload: Buffer, waitMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => (s.close(), resolve(undefined)), waitMs);
    s.on('message', (msg) => (clearTimeout(timer), s.close(), resolve(msg)));
    s.send(payload, port, LOOPBACK);
  });
}

/** Writes `payloads` length-prefixed in one go; resolves with `expect` replies. */
function tcpExchange(port: number, payloads: Buffer[], expectCount = payloads.length): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const s = connect(port, LOOPBACK);
    let buf = Buffer.alloc(0);
    const replies: Buffer[] = [];
    s.on('connect', () => s.write(Buffer.concat(payloads.flatMap((p) => [Buffer.from([p.length >> 8, p.length & 0xff]), p]))));
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= expectCount) (s.destroy(), resolve(replies));
    });
    s.on('error', reject);
  });
}

/** A fake upstream on loopback: answers UDP (and TCP) queries with `reply(query)`, or stays silent. */
class FakeUpstream {
  readonly received: Buffer[] = [];
  private udp!: UdpSocket;
  private tcp!: Server;
  port = 0;
  constructor(private readonly reply?: (q: Buffer) => Buffer) {}

  async start(): Promise<Upstream> {
    this.udp = createSocket('udp4');
    await new Promise<void>((r) => this.udp.bind(0, LOOPBACK, () => r()));
    this.port = this.udp.address().port;
    this.udp.on('message', (msg, from) => {
      this.received.push(msg);
      if (this.reply) this.udp.send(this.reply(msg), from.port, from.address);
    });
    this.tcp = createServer((s) => {
      s.on('data', (d: Buffer) => {
        const q = d.subarray(2);
        this.received.push(q);
        if (!this.reply) return;
        const r = this.reply(q);
        s.write(Buffer.concat([Buffer.from([r.length >> 8, r.length & 0xff]), r]));
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => this.tcp.listen(this.port, LOOPBACK, () => r()));
    return { host: LOOPBACK, port: this.port };
  }

  async stop(): Promise<void> {
    this.udp.close();
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }
}

/** An upstream's answer: the query turned into a response with one A record and an odd trailing TXT. */
function upstreamAnswer(q: Buffer): Buffer {
  const m = decodeMessage(q);
  return encodeMessage({
    ...m, qr: true, ra: true,
    answers: [
      { name: m.questions[0]!.name, type: TYPE.A, class: CLASS_IN, ttl: 3600, data: { kind: 'A', address: '93.184.216.34' } },
      { name: m.questions[0]!.name, type: TYPE.TXT, class: CLASS_IN, ttl: 77, data: { kind: 'TXT', texts: ['from upstream'] } },
    ],
  });
}

describe('DNS server on loopback', () => {
  const index = new ClusterIndex();
  index.upsertService({ metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] } });
  index.upsertService({ metadata: { namespace: 'default', name: 'big' }, spec: { clusterIP: 'None' } });
  index.upsertSlice({
    metadata: { namespace: 'default', name: 'big-1', labels: { [SERVICE_NAME_LABEL]: 'big' } }, addressType: 'IPv4',
    endpoints: Array.from({ length: 60 }, (_, i) => ({ addresses: [`10.244.3.${i + 1}`], conditions: { ready: true } })),
  });
  let upstreams: Upstream[] = [];
  const fakes: FakeUpstream[] = [];
  const server = new DnsServer({ host: LOOPBACK, port: 0, resolve: (q) => answer(q, index), upstreams: () => upstreams, timeoutMs: 300 });
  let ports: { udp: number; tcp: number };

  const fake = async (reply?: (q: Buffer) => Buffer) => {
    const f = new FakeUpstream(reply);
    fakes.push(f);
    return { f, up: await f.start() };
  };

  beforeAll(async () => {
    ports = await server.start();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.stop()));
    upstreams = [];
  });

  it('answers cluster names over UDP and TCP, authoritatively', async () => {
    const q = query('web.default.svc.cluster.local');
    const udp = decodeMessage((await udpExchange(ports.udp, encodeMessage(q)))!);
    expect(udp).toMatchObject({ id: q.id, qr: true, aa: true, rd: true, rcode: RCODE.NOERROR, questions: q.questions });
    expect(udp.answers).toEqual([{ name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN, ttl: 5, data: { kind: 'A', address: '10.96.0.20' } }]);
    const [tcp] = await tcpExchange(ports.tcp, [encodeMessage(q)]);
    expect(decodeMessage(tcp!)).toEqual(udp);
  });

  it('answers NXDOMAIN with the SOA', async () => {
    const r = decodeMessage((await udpExchange(ports.udp, encodeMessage(query('nope.default.svc.cluster.local'))))!);
    expect(r).toMatchObject({ rcode: RCODE.NXDOMAIN, answers: [], authorities: [{ type: TYPE.SOA, name: 'cluster.local' }] });
  });

  it('answers pipelined TCP queries on one connection', async () => {
    const a = query('web.default.svc.cluster.local');
    const b = query('_http._tcp.web.default.svc.cluster.local', TYPE.SRV);
    const replies = (await tcpExchange(ports.tcp, [encodeMessage(a), encodeMessage(b)])).map(decodeMessage);
    expect(replies.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const srv = replies.find((r) => r.id === b.id)!;
    expect(srv.answers[0]!.data).toEqual({ kind: 'SRV', priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' });
    expect(srv.additionals[0]!.data).toEqual({ kind: 'A', address: '10.96.0.20' });
  });

  it('truncates UDP answers over 512 bytes, unless EDNS0 allows more; TCP gets everything', async () => {
    const plain = query('big.default.svc.cluster.local');
    const cut = (await udpExchange(ports.udp, encodeMessage(plain)))!;
    expect(cut.length).toBeLessThanOrEqual(512);
    expect(decodeMessage(cut)).toMatchObject({ id: plain.id, tc: true, answers: [], questions: plain.questions });

    const edns = query('big.default.svc.cluster.local', TYPE.A, { additionals: [optRecord(4096)] });
    const full = (await udpExchange(ports.udp, encodeMessage(edns)))!;
    expect(full.length).toBeGreaterThan(512);
    const m = decodeMessage(full);
    expect(m).toMatchObject({ tc: false });
    expect(m.answers).toHaveLength(60);
    expect(m.additionals).toEqual([optRecord(OUR_UDP_SIZE)]);

    // A client announcing less than 512 still gets 512.
    const small = decodeMessage((await udpExchange(ports.udp, encodeMessage(query('big.default.svc.cluster.local', TYPE.A, { additionals: [optRecord(100)] }))))!);
    expect(small.tc).toBe(true);

    const [tcp] = await tcpExchange(ports.tcp, [encodeMessage(plain)]);
    expect(decodeMessage(tcp!).answers).toHaveLength(60);
  });

  it('forwards other names over UDP and passes the answer back unchanged but for the ID', async () => {
    const { f, up } = await fake(upstreamAnswer);
    upstreams = [up];
    const q = encodeMessage(query('example.com', TYPE.A, { additionals: [optRecord(1400)] }));
    const reply = (await udpExchange(ports.udp, q))!;
    expect(f.received).toHaveLength(1);
    // The upstream saw the client's query byte for byte after the ID.
    expect(f.received[0]!.subarray(2)).toEqual(q.subarray(2));
    const expected = upstreamAnswer(f.received[0]!);
    expect(reply.subarray(2)).toEqual(expected.subarray(2));
    expect(reply.readUInt16BE(0)).toBe(q.readUInt16BE(0));
  });

  it('forwards TCP queries over TCP', async () => {
    const { f, up } = await fake(upstreamAnswer);
    upstreams = [up];
    const q = encodeMessage(query('example.org', TYPE.TXT));
    const [reply] = await tcpExchange(ports.tcp, [q]);
    expect(f.received).toHaveLength(1);
    expect(decodeMessage(reply!)).toMatchObject({ id: q.readUInt16BE(0), answers: [{ ttl: 3600 }, { data: { kind: 'TXT', texts: ['from upstream'] } }] });
  });

  it('tries the next upstream when one does not answer in time', async () => {
    const silent = await fake();
    const good = await fake(upstreamAnswer);
    upstreams = [silent.up, good.up];
    const q = query('example.net');
    const reply = decodeMessage((await udpExchange(ports.udp, encodeMessage(q)))!);
    expect(reply).toMatchObject({ id: q.id, rcode: RCODE.NOERROR });
    expect(reply.answers[0]!.data).toEqual({ kind: 'A', address: '93.184.216.34' });
    expect(silent.f.received).toHaveLength(1);
    expect(good.f.received).toHaveLength(1);
    expect(server.takeCounts()).toMatchObject({ upstreamFailures: 1 });
  });

  it('answers SERVFAIL when every upstream fails, or when there is none', async () => {
    const a = await fake();
    const b = await fake();
    upstreams = [a.up, b.up];
    const q = query('example.net');
    expect(decodeMessage((await udpExchange(ports.udp, encodeMessage(q)))!)).toMatchObject({ id: q.id, qr: true, rcode: RCODE.SERVFAIL, questions: q.questions });
    expect(a.f.received).toHaveLength(1);
    expect(b.f.received).toHaveLength(1);
    upstreams = [];
    expect(decodeMessage((await udpExchange(ports.udp, encodeMessage(q)))!)).toMatchObject({ rcode: RCODE.SERVFAIL });
    expect(server.takeCounts()).toMatchObject({ servfail: 2, upstreamFailures: 2 });
  });

  it('answers FORMERR to undecodable queries and drops what has no header', async () => {
    const garbage = Buffer.from([0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0, 1]);
    const r = decodeMessage((await udpExchange(ports.udp, garbage))!);
    expect(r).toMatchObject({ id: 0xbeef, qr: true, rcode: RCODE.FORMERR, questions: [] });
    expect(await udpExchange(ports.udp, Buffer.from([1, 2, 3]), 300)).toBeUndefined();
    // A response sent to us is not answered either (no reflection loops).
    expect(await udpExchange(ports.udp, encodeMessage({ ...query('web.default.svc.cluster.local'), qr: true }), 300)).toBeUndefined();
    // Two questions: FORMERR.
    const two = query('a.cluster.local');
    two.questions.push({ name: 'b.cluster.local', type: TYPE.A, class: CLASS_IN });
    expect(decodeMessage((await udpExchange(ports.udp, encodeMessage(two)))!).rcode).toBe(RCODE.FORMERR);
    // And the server still answers.
    expect(decodeMessage((await udpExchange(ports.udp, encodeMessage(query('web.default.svc.cluster.local'))))!).answers).toHaveLength(1);
  });

  it('answers BADVERS to EDNS versions above 0 and NOTIMP to other opcodes', async () => {
    const q = query('web.default.svc.cluster.local', TYPE.A, { additionals: [{ ...optRecord(1232), ttl: 1 << 16 }] });
    const r = decodeMessage((await udpExchange(ports.udp, encodeMessage(q)))!);
    expect(r.rcode).toBe(0);
    expect(r.additionals[0]).toMatchObject({ type: TYPE.OPT, ttl: 1 << 24 });
    expect(decodeMessage((await udpExchange(ports.udp, encodeMessage(query('web.default.svc.cluster.local', TYPE.A, { opcode: 2 }))))!).rcode).toBe(RCODE.NOTIMP);
  });
});

describe('parseResolvConf', () => {
  it('takes the nameserver lines in order, port 53, skipping comments and junk', () => {
    const text = '# generated\nsearch lan\nnameserver 192.168.1.1\nnameserver   fe80::1%eth0 \n;nameserver 9.9.9.9\nnameserver bogus\noptions ndots:5\nnameserver 1.1.1.1 # cf\n';
    expect(parseResolvConf(text)).toEqual([{ host: '192.168.1.1', port: 53 }, { host: 'fe80::1%eth0', port: 53 }, { host: '1.1.1.1', port: 53 }]);
  });
});
