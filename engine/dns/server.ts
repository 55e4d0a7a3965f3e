// The DNS server: one UDP socket and one TCP listener on the same port. Each query is decoded,
// answered from the cluster zone or forwarded upstream over the transport it came on, and UDP
// answers are kept within what the client can take (512 bytes, or its EDNS0 size).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { nullLogger, type Logger } from '../log/logger.js';
import { describeUpstream, forward, type Upstream } from './forward.js';
import {
  CLASSIC_UDP_SIZE, decodeMessage, ednsOf, encodeMessage, encodeWithin, MAX_MESSAGE, optRecord, peekHeader, RCODE, TYPE,
  type Message, type Question,
} from './message.js';
import type { ZoneAnswer } from './zone.js';

/** The UDP size we announce in our OPT records (the DNS flag day's safe value). */
export const OUR_UDP_SIZE = 1232;

/** Largest UDP answer we send, whatever a client announces. */
const MAX_UDP_SIZE = 4096;

/** Forwarded queries in flight beyond which new ones are dropped (each holds a socket). */
const MAX_IN_FLIGHT = 1024;

/** A TCP connection idle this long is closed. */
const TCP_IDLE_MS = 10_000;

export interface DnsServerOptions {
  /** Address to listen on (default 0.0.0.0). */
  host?: string;
  /** Port for both UDP and TCP; 0 picks a free one. */
  port: number;
  /** Answers a question from the cluster zone, or says to forward it. */
  resolve(q: Question): ZoneAnswer;
  /** The upstream resolvers, asked in order. */
  upstreams(): Upstream[];
  /** How long to wait for each upstream (default 2 s). */
  timeoutMs?: number;
  log?: Logger;
}

/** What the server did since the counts were last taken. */
export interface QueryCounts {
  udp: number;
  tcp: number;
  /** Answered from the zone: NOERROR, NXDOMAIN. */
  noerror: number;
  nxdomain: number;
  forwarded: number;
  servfail: number;
  formerr: number;
  truncated: number;
  dropped: number;
  upstreamFailures: number;
}

const zeroCounts = (): QueryCounts => ({ udp: 0, tcp: 0, noerror: 0, nxdomain: 0, forwarded: 0, servfail: 0, formerr: 0, truncated: 0, dropped: 0, upstreamFailures: 0 });

/** The shell of a reply to `q`: same ID, opcode, RD and question; RA set. */
function replyTo(q: Pick<Message, 'id' | 'opcode' | 'rd'> & { questions?: Question[] }, rcode: number): Message {
  return {
    id: q.id, qr: true, opcode: q.opcode, aa: false, tc: false, rd: q.rd, ra: true, ad: false, cd: false, rcode: rcode & 0xf,
    questions: q.questions ?? [], answers: [], authorities: [], additionals: [],
  };
}

/** A DNS server over UDP and TCP. */
export class DnsServer {
  private udp?: UdpSocket;
  private tcp?: Server;
  private readonly connections = new Set<Socket>();
  private readonly log: Logger;
  private counts = zeroCounts();
  private inFlight = 0;
  /** Per upstream: when its failure was last logged and how many were not logged since. */
  private readonly failureLog = new Map<string, { at: number; quiet: number }>();

  constructor(private readonly opts: DnsServerOptions) {
    this.log = opts.log ?? nullLogger;
  }

  /** Binds UDP and then TCP on the same port; resolves with the ports bound. */
  async start(): Promise<{ udp: number; tcp: number }> {
    const host = this.opts.host ?? '0.0.0.0';
    const udp = createSocket('udp4');
    this.udp = udp;
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.opts.port, host, () => (udp.off('error', reject), resolve()));
    });
    udp.on('error', (err) => this.log.error(`dns: UDP socket: ${err.message}`));
    udp.on('message', (msg, from) => {
      this.counts.udp++;
      void this.handle(msg, 'udp').then((reply) => {
        if (reply && this.udp === udp) udp.send(reply, from.port, from.address);
      });
    });
    const udpPort = udp.address().port;
    const tcp = createServer((socket) => this.serveConnection(socket));
    this.tcp = tcp;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.opts.port || udpPort, host, () => (tcp.off('error', reject), resolve()));
    });
    tcp.on('error', (err) => this.log.error(`dns: TCP listener: ${err.message}`));
    return { udp: udpPort, tcp: (tcp.address() as AddressInfo).port };
  }

  /** Closes the sockets and every open TCP connection. */
  async stop(): Promise<void> {
    this.udp?.close();
    this.udp = undefined;
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }

  /** The counts since the last call, which starts them again from zero. */
  takeCounts(): QueryCounts {
    const c = this.counts;
    this.counts = zeroCounts();
    return c;
  }

  /** The reply to one query received over `transport`; undefined when the query deserves none. */
  async handle(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let msg: Message;
    try {
      msg = decodeMessage(query);
    } catch {
      const head = peekHeader(query);
      if (!head || head.qr) return this.drop();
      this.counts.formerr++;
      return encodeMessage(replyTo(head, RCODE.FORMERR));
    }
    if (msg.qr) return this.drop();
    const opts = msg.additionals.filter((rr) => rr.type === TYPE.OPT);
    if (msg.opcode !== 0) return encodeMessage(replyTo(msg, RCODE.NOTIMP));
    if (msg.questions.length !== 1 || opts.length > 1 || opts.some((o) => o.name !== '')) {
      this.counts.formerr++;
      return encodeMessage(replyTo(msg, RCODE.FORMERR));
    }
    const edns = ednsOf(msg);
    if (edns && edns.version > 0) return encodeMessage({ ...replyTo(msg, RCODE.BADVERS), additionals: [optRecord(OUR_UDP_SIZE, RCODE.BADVERS)] });
    const question = msg.questions[0]!;

    let result: ZoneAnswer;
    try {
      result = this.opts.resolve(question);
    } catch (err) {
      this.log.error(`dns: answering ${question.name}: ${(err as Error).message}`);
      return this.servfail(msg, edns !== undefined);
    }
    if (result.kind === 'forward') return this.forward(query, msg, transport, edns !== undefined);

    this.counts[result.rcode === RCODE.NXDOMAIN ? 'nxdomain' : 'noerror']++;
    const limit = transport === 'tcp' ? MAX_MESSAGE : edns ? Math.min(Math.max(edns.udpSize, CLASSIC_UDP_SIZE), MAX_UDP_SIZE) : CLASSIC_UDP_SIZE;
    const reply: Message = {
      ...replyTo(msg, result.rcode),
      aa: true,
      answers: result.answers,
      authorities: result.authorities,
      additionals: [...result.additionals, ...(edns ? [optRecord(OUR_UDP_SIZE)] : [])],
    };
    const out = encodeWithin(reply, limit);
    if (out[2]! & 0x02) this.counts.truncated++;
    return out;
  }

  private async forward(query: Buffer, msg: Message, transport: 'udp' | 'tcp', edns: boolean): Promise<Buffer | undefined> {
    const upstreams = this.opts.upstreams();
    if (upstreams.length === 0) return this.servfail(msg, edns);
    if (this.inFlight >= MAX_IN_FLIGHT) return this.drop();
    this.inFlight++;
    try {
      const reply = await forward(query, upstreams, transport, this.opts.timeoutMs ?? 2000, (up, err) => this.upstreamFailed(up, err));
      if (!reply) return this.servfail(msg, edns);
      this.counts.forwarded++;
      return reply;
    } finally {
      this.inFlight--;
    }
  }

  private servfail(msg: Message, edns: boolean): Buffer {
    this.counts.servfail++;
    return encodeMessage({ ...replyTo(msg, RCODE.SERVFAIL), additionals: edns ? [optRecord(OUR_UDP_SIZE)] : [] });
  }

  private drop(): undefined {
    this.counts.dropped++;
    return undefined;
  }

  /** Logs an upstream's failure, at most once per 10 s per upstream, with how many went unlogged. */
  private upstreamFailed(up: Upstream, err: Error): void {
    this.counts.upstreamFailures++;
    const key = describeUpstream(up);
    const now = Date.now();
    const last = this.failureLog.get(key);
    if (last && now - last.at < 10_000) {
      last.quiet++;
      return;
    }
    const more = last?.quiet ? ` (and ${last.quiet} more failures since the last report)` : '';
    this.failureLog.set(key, { at: now, quiet: 0 });
    this.log.warn(`dns: upstream ${key} failed: ${err.message}${more}`);
  }

  /** Reads length-prefixed queries from one connection; replies go back as each is ready. */
  private serveConnection(socket: Socket): void {
    this.connections.add(socket);
    let buf = Buffer.alloc(0);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + query.length);
        this.counts.tcp++;
        void this.handle(Buffer.from(query), 'tcp').then((reply) => {
          if (!reply || socket.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([len, reply]));
        });
      }
    });
  }
}
