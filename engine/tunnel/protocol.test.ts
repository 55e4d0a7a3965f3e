import { describe, expect, it } from 'vitest';
import { connectLine, MAX_LINE_BYTES, parseConnectLine, parseReply, replyLine, splitLine, tunnelRefusal } from './protocol.js';

describe('port tunnel request line', () => {
  it('round-trips a TCP request', () => {
    expect(connectLine(30080)).toBe('CONNECT TCP 30080\n');
    expect(parseConnectLine('CONNECT TCP 30080')).toEqual({ ok: true, protocol: 'TCP', port: 30080 });
    expect(parseConnectLine('CONNECT tcp 1')).toEqual({ ok: true, protocol: 'TCP', port: 1 });
  });

  it.each([
    ['CONNECT UDP 30053', /UDP is not carried .*TCP only/],
    ['CONNECT SCTP 30053', /SCTP is not carried/],
    ['CONNECT QUIC 443', /unknown protocol "QUIC"/],
    ['CONNECT TCP 0', /invalid port "0"/],
    ['CONNECT TCP 65536', /invalid port "65536"/],
    ['CONNECT TCP 80x', /invalid port/],
    ['CONNECT TCP', /expected "CONNECT <protocol> <port>"/],
    ['GET / HTTP/1.1', /expected "CONNECT/],
    ['', /expected/],
  ])('refuses %j', (line, error) => {
    const r = parseConnectLine(line);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(error);
  });
});

describe('port tunnel answer line', () => {
  it('says OK or ERR with a one-line message', () => {
    expect(replyLine()).toBe('OK\n');
    expect(replyLine('cannot connect:\nrefused')).toBe('ERR cannot connect: refused\n');
    expect(parseReply('OK')).toEqual({ ok: true });
    expect(parseReply('ERR connection refused')).toEqual({ ok: false, error: 'connection refused' });
    expect(parseReply('ERR')).toEqual({ ok: false, error: 'refused' });
    expect(parseReply('HTTP/1.1 400 Bad Request')).toMatchObject({ ok: false, error: expect.stringMatching(/unexpected answer/) });
  });
});

describe('splitLine', () => {
  it('waits for the newline, then keeps what follows for the relay', () => {
    expect(splitLine(Buffer.from('CONNECT TCP 3'))).toBeUndefined();
    const s = splitLine(Buffer.from('CONNECT TCP 30080\r\nGET / HTTP/1.1\r\n'))!;
    expect(s.line).toBe('CONNECT TCP 30080');
    expect(s.rest.toString()).toBe('GET / HTTP/1.1\r\n');
    expect(splitLine(Buffer.from('OK\n'))!.rest.length).toBe(0);
  });

  it('rejects over-long lines, with or without their newline', () => {
    expect(() => splitLine(Buffer.alloc(MAX_LINE_BYTES + 1, 'a'))).toThrow(/longer than/);
    expect(() => splitLine(Buffer.from(`${'a'.repeat(MAX_LINE_BYTES + 1)}\n`))).toThrow(/longer than/);
  });
});

describe('tunnelRefusal', () => {
  it('lets only system:masters in', () => {
    expect(tunnelRefusal({ CN: 'kubelab-admin', O: 'system:masters' })).toBeUndefined();
    expect(tunnelRefusal({ CN: 'x', O: ['dev', 'system:masters'] })).toBeUndefined();
    expect(tunnelRefusal({ CN: 'system:node:a', O: 'system:nodes' })).toMatch(/may not open port tunnels/);
    expect(tunnelRefusal(undefined)).toMatch(/client certificate/);
    expect(tunnelRefusal({})).toMatch(/client certificate/);
  });
});
