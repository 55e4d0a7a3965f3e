// Byte plumbing shared by both ends of the port tunnel: reading the one protocol line off a
// socket, and relaying two sockets into each other with half-close kept (one side's end reaches
// the other as an end, while bytes still flow the other way).
import type { Duplex } from 'node:stream';
import { splitLine } from './protocol.js';

/** Reads the first line from `socket`; resolves with it and the bytes that followed it. Rejects on timeout, close or an over-long line. */
export function readLine(socket: Duplex, timeoutMs: number): Promise<{ line: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err?: Error, value?: { line: string; rest: Buffer }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      socket.pause();
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        const split = splitLine(buf);
        if (split) done(undefined, split);
      } catch (err) {
        done(err as Error);
      }
    };
    const onEnd = () => done(new Error('the connection closed before a full line arrived'));
    const onError = (err: Error) => done(err);
    const timer = setTimeout(() => done(new Error(`no line within ${timeoutMs}ms`)), timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
  });
}

/**
 * Relays `a` and `b` both ways until both directions have ended; `head` (bytes already read from
 * `a`) goes to `b` first. An error on either side tears both down. Both sockets must allow half-open.
 * Resolves once both are closed.
 */
export function relay(a: Duplex, b: Duplex, head?: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let closed = 0;
    const onClose = () => {
      if (++closed === 2) resolve();
    };
    const fail = () => {
      a.destroy();
      b.destroy();
    };
    a.on('error', fail).on('close', onClose);
    b.on('error', fail).on('close', onClose);
    if (head?.length) b.write(head);
    a.pipe(b);
    b.pipe(a);
    a.resume();
    b.resume();
  });
}
