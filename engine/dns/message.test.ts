import { describe, expect, it } from 'vitest';
import {
  CLASS_IN, decodeMessage, ednsOf, encodeMessage, encodeWithin, formatIpv6, MessageError, nameToLabels, optRecord, parseIpv6, peekHeader, RCODE, TYPE,
  type Message, type ResourceRecord,
} from './message.js';

const rr = (name: string, type: number, data: ResourceRecord['data'], ttl = 5): ResourceRecord => ({ name, type, class: CLASS_IN, ttl, data });

function message(over: Partial<Message> = {}): Message {
  return {
    id: 0x1234, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0,
    questions: [{ name: 'web.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }],
    answers: [], authorities: [], additionals: [],
    ...over,
  };
}

/** A query for `name` type A built by hand, to check the wire format independently of the encoder. */
function handQuery(labels: string[], id = 7): Buffer {
  const parts = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l));
  parts.push(Buffer.from([0, 0, 1, 0, 1]));
  return Buffer.concat(parts);
}

describe('DNS messages', () => {
  it('decodes a query built by hand', () => {
    const m = decodeMessage(handQuery(['example', 'com']));
    expect(m).toMatchObject({ id: 7, qr: false, rd: true, opcode: 0, questions: [{ name: 'example.com', type: TYPE.A, class: CLASS_IN }] });
  });

  it('round-trips every record type it knows, and unknown ones as raw rdata', () => {
    const m = message({
      qr: true, aa: true, ra: true, ad: true, cd: true, rcode: RCODE.NXDOMAIN,
      answers: [
        rr('web.default.svc.cluster.local', TYPE.A, { kind: 'A', address: '10.96.0.12' }),
        rr('web.default.svc.cluster.local', TYPE.AAAA, { kind: 'AAAA', address: 'fd00::1:2' }),
        rr('ext.default.svc.cluster.local', TYPE.CNAME, { kind: 'CNAME', target: 'example.com' }),
        rr('_http._tcp.web.default.svc.cluster.local', TYPE.SRV, { kind: 'SRV', priority: 0, weight: 50, port: 8080, target: 'web.default.svc.cluster.local' }),
        rr('12.0.96.10.in-addr.arpa', TYPE.PTR, { kind: 'PTR', target: 'web.default.svc.cluster.local' }),
        rr('cluster.local', TYPE.NS, { kind: 'NS', target: 'ns.dns.cluster.local' }),
        rr('cluster.local', TYPE.TXT, { kind: 'TXT', texts: ['hello', '', 'wörld'] }),
        rr('cluster.local', 99, { kind: 'raw', bytes: Buffer.from([1, 2, 3]) }),
      ],
      authorities: [rr('cluster.local', TYPE.SOA, { kind: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 4_000_000_000, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 })],
      additionals: [{ ...optRecord(1232), data: { kind: 'OPT', options: [{ code: 10, data: Buffer.from('cookie!!') }] } }],
    });
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('compresses repeated names with pointers to their first copy', () => {
    const answers = Array.from({ length: 10 }, (_, i) => rr('web.default.svc.cluster.local', TYPE.A, { kind: 'A', address: `10.244.0.${i}` }));
    const wire = encodeMessage(message({ qr: true, answers }));
    // Each answer's owner is a 2-byte pointer to the question's name at offset 12.
    expect(wire.length).toBe(12 + 35 + 10 * (2 + 10 + 4));
    expect(wire.readUInt16BE(12 + 35)).toBe(0xc000 | 12);
    // Suffixes are shared too: only the new label is spelled out.
    const two = encodeMessage(message({ qr: true, answers: [rr('db.default.svc.cluster.local', TYPE.A, { kind: 'A', address: '10.0.0.1' })] }));
    expect(two.length).toBe(12 + 35 + (1 + 2 + 2) + 10 + 4);
    expect(decodeMessage(two).answers[0]!.name).toBe('db.default.svc.cluster.local');
  });

  it('compares names case-insensitively for compression but keeps their case', () => {
    const m = message({ qr: true, questions: [{ name: 'WEB.Default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }], answers: [rr('web.default.svc.cluster.local', TYPE.A, { kind: 'A', address: '10.0.0.1' })] });
    const wire = encodeMessage(m);
    expect(wire.length).toBe(12 + 35 + 16);
    expect(decodeMessage(wire).questions[0]!.name).toBe('WEB.Default.svc.cluster.local');
  });

  it('never compresses SRV targets', () => {
    const m = message({ qr: true, answers: [rr('_p._tcp.web.default.svc.cluster.local', TYPE.SRV, { kind: 'SRV', priority: 0, weight: 1, port: 80, target: 'web.default.svc.cluster.local' })] });
    const wire = encodeMessage(m);
    expect(wire.subarray(wire.length - 31).toString('latin1')).toBe('\x03web\x07default\x03svc\x07cluster\x05local\x00');
  });

  it('escapes label bytes that the dotted form cannot show', () => {
    const m = message({ questions: [{ name: 'a\\.b.c\\\\d.\\000x', type: TYPE.TXT, class: CLASS_IN }] });
    const wire = encodeMessage(m);
    expect(wire.subarray(12, 12 + 13)).toEqual(Buffer.from([3, 0x61, 0x2e, 0x62, 3, 0x63, 0x5c, 0x64, 2, 0, 0x78, 0, 0]));
    expect(decodeMessage(wire).questions[0]!.name).toBe('a\\.b.c\\\\d.\\000x');
    expect(nameToLabels('example.com.')).toEqual(nameToLabels('example.com'));
    expect(nameToLabels('')).toEqual([]);
    expect(() => nameToLabels('a..b')).toThrow(MessageError);
    expect(() => nameToLabels(`${'x'.repeat(64)}.com`)).toThrow(/63/);
    expect(() => nameToLabels(Array(60).fill('abcd').join('.'))).toThrow(/255/);
  });

  it('reads and writes EDNS0', () => {
    const m = message({ additionals: [{ name: '', type: TYPE.OPT, class: 4096, ttl: 0x0000_8000, data: { kind: 'OPT', options: [] } }] });
    expect(ednsOf(decodeMessage(encodeMessage(m)))).toEqual({ udpSize: 4096, version: 0, extendedRcode: 0, dnssecOk: true });
    expect(ednsOf(message())).toBeUndefined();
    expect(ednsOf(message({ additionals: [optRecord(1232, RCODE.BADVERS)] }))).toMatchObject({ extendedRcode: 1, udpSize: 1232 });
  });

  it('fits answers into a size limit: additionals go first, then TC with the question alone', () => {
    const answers = Array.from({ length: 20 }, (_, i) => rr('web.default.svc.cluster.local', TYPE.A, { kind: 'A', address: `10.0.0.${i}` }));
    const extra = Array.from({ length: 20 }, (_, i) => rr(`h${i}.web.default.svc.cluster.local`, TYPE.A, { kind: 'A', address: `10.0.1.${i}` }));
    const opt = optRecord(1232);
    const m = message({ qr: true, answers, additionals: [...extra, opt] });
    expect(encodeMessage(m).length).toBeGreaterThan(512);
    const lean = decodeMessage(encodeWithin(m, 512));
    expect(lean).toMatchObject({ tc: false, answers, additionals: [opt] });
    const many = message({ qr: true, answers: [...answers, ...answers, ...answers] });
    const cut = decodeMessage(encodeWithin(many, 512));
    expect(cut).toMatchObject({ tc: true, answers: [], questions: many.questions });
    expect(encodeWithin(many, 65535).length).toBe(encodeMessage(many).length);
  });

  it('formats and parses IPv6 in its canonical text form', () => {
    expect(formatIpv6(parseIpv6('fd00:0:0:0:0:0:0:1'))).toBe('fd00::1');
    expect(formatIpv6(parseIpv6('::'))).toBe('::');
    expect(formatIpv6(parseIpv6('1:0:0:2:0:0:0:3'))).toBe('1:0:0:2::3');
    expect(formatIpv6(parseIpv6('1:2:3:4:5:6:7:8'))).toBe('1:2:3:4:5:6:7:8');
    expect(formatIpv6(parseIpv6('1:0:2:3:4:5:6:7'))).toBe('1:0:2:3:4:5:6:7');
    expect(formatIpv6(parseIpv6('::ffff:10.1.2.3'))).toBe('::ffff:a01:203');
    expect(() => parseIpv6('10.0.0.1')).toThrow(MessageError);
  });
});

describe('decoding malformed input', () => {
  const bad = (buf: Buffer, why: RegExp | typeof MessageError) => expect(() => decodeMessage(buf)).toThrow(why);

  it('rejects short and truncated messages', () => {
    const q = handQuery(['example', 'com']);
    bad(q.subarray(0, 5), /header/);
    for (let n = 12; n < q.length; n++) expect(() => decodeMessage(q.subarray(0, n)), `length ${n}`).toThrow(MessageError);
    bad(Buffer.concat([q, Buffer.from([0])]), /after the last record/);
  });

  it('rejects counts the message cannot hold before reading them', () => {
    const q = handQuery(['a']);
    q.writeUInt16BE(0xffff, 6);
    bad(q, /counts exceed/);
  });

  it('rejects pointers that do not point backwards, including loops', () => {
    const header = Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    // A pointer to itself.
    bad(Buffer.concat([header, Buffer.from([0xc0, 12, 0, 1, 0, 1])]), /backwards/);
    // A forward pointer.
    bad(Buffer.concat([header, Buffer.from([0xc0, 14, 0, 0, 1, 0, 1])]), /backwards/);
    // A label followed by a pointer back to that same label: the loop a naive decoder follows forever.
    bad(Buffer.concat([header, Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1])]), /backwards/);
    // Two names pointing at each other.
    const twoQ = Buffer.from([0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    bad(Buffer.concat([twoQ, Buffer.from([1, 0x61, 0xc0, 18, 0, 1, 0, 1, 1, 0x62, 0xc0, 12, 0, 1, 0, 1])]), /backwards/);
  });

  it('follows a valid chain of backward pointers', () => {
    const twoQ = Buffer.from([0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    const m = decodeMessage(Buffer.concat([twoQ, Buffer.from([3, 0x63, 0x6f, 0x6d, 0, 0, 1, 0, 1, 1, 0x61, 0xc0, 12, 0, 1, 0, 1])]));
    expect(m.questions.map((q) => q.name)).toEqual(['com', 'a.com']);
  });

  it('rejects extended label types, names over 255 bytes and rdata of the wrong size', () => {
    bad(Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0]), Buffer.from([0, 1, 0, 1])]), /label type/);
    bad(handQuery(Array(5).fill('x'.repeat(60))), /255/);
    const m = encodeMessage(message({ qr: true, answers: [rr('a', TYPE.A, { kind: 'A', address: '1.2.3.4' })] }));
    // rdlength says 5 and one extra byte follows: an A record cannot be 5 bytes.
    const five = Buffer.concat([m.subarray(0, m.length - 6), Buffer.from([0, 5, 1, 2, 3, 4, 5])]);
    bad(five, /A rdata of 5 bytes/);
    // A CNAME whose name runs past its rdlength.
    const cname = encodeMessage(message({ qr: true, answers: [rr('a', TYPE.CNAME, { kind: 'CNAME', target: 'bb' })] }));
    cname.writeUInt16BE(2, cname.length - 6);
    bad(cname, MessageError);
  });

  it('throws only MessageError whatever the bytes (mutation fuzzing)', () => {
    const seed = encodeMessage(message({
      qr: true,
      answers: [rr('web.default.svc.cluster.local', TYPE.SRV, { kind: 'SRV', priority: 0, weight: 1, port: 80, target: 'web.default.svc.cluster.local' }), rr('x.default.svc.cluster.local', TYPE.A, { kind: 'A', address: '1.2.3.4' })],
      authorities: [rr('cluster.local', TYPE.SOA, { kind: 'SOA', mname: 'ns.dns.cluster.local', rname: 'h.cluster.local', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 })],
      additionals: [optRecord(1232)],
    }));
    let state = 42;
    const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
    let decoded = 0;
    for (let i = 0; i < 5000; i++) {
      const buf = Buffer.from(seed);
      for (let k = 1 + rand(4); k > 0; k--) buf[rand(buf.length)] = rand(256);
      try {
        decodeMessage(buf.subarray(0, buf.length - rand(3)));
        decoded++;
      } catch (err) {
        expect(err).toBeInstanceOf(MessageError);
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });

  it('peeks at the header of what it cannot decode', () => {
    expect(peekHeader(Buffer.from([0xab, 0xcd, 0x81, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 9]))).toEqual({ id: 0xabcd, qr: true, opcode: 0, rd: true });
    expect(peekHeader(Buffer.from([1, 2, 3]))).toBeUndefined();
  });
});
