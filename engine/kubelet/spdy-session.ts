// The server side of a SPDY/3.1 session over any byte transport (a raw upgraded socket, or
// WebSocket binary messages): the client opens streams, the server accepts each with SYN_REPLY;
// PINGs are echoed, flow control frames are read and ignored (as Go's spdystream does).
import { decodeHeaderBlock, encodeData, encodeHeaderBlock, FLAG_FIN, goaway, ping, RST, rstStream, SPDY, SpdyParser, synReply, type SpdyFrame } from './spdy-frames.js';
import { HeaderZlib } from './spdy-zlib.js';

/** Where a session's bytes go and come from. */
export interface ByteTransport {
  write(data: Buffer): void;
  /** Ends the transport (the session is over). */
  close(): void;
}

/** One stream the client opened. */
export class SpdyStream {
  /** Data from the client. */
  onData: (data: Buffer) => void = () => {};
  /** The client sent FIN: no more data from it. */
  onEnd: () => void = () => {};
  /** The stream was reset (by either side) or the session died. */
  onReset: () => void = () => {};
  remoteEnded = false;
  localEnded = false;
  reset = false;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string[]>,
    private readonly session: SpdySession,
  ) {}

  /** A header's first value. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  /** Sends data (split into frames of at most 64 KiB). */
  write(data: Buffer): void {
    if (this.localEnded || this.reset) return;
    for (let at = 0; at < data.length; at += 65536) this.session.sendAfterReplies(encodeData(this.id, data.subarray(at, at + 65536)));
  }

  /** Sends FIN: no more data from this side. */
  end(): void {
    if (this.localEnded || this.reset) return;
    this.localEnded = true;
    this.session.sendAfterReplies(encodeData(this.id, Buffer.alloc(0), true));
    this.session.forgetIfDone(this);
  }

  /** Resets the stream (RST_STREAM CANCEL unless another status is given). */
  abort(status: number = RST.cancel): void {
    if (this.reset) return;
    this.session.sendAfterReplies(rstStream(this.id, status));
    this.session.dropStream(this);
  }
}

/** A server-side SPDY/3.1 session; `onStream` is called for each accepted stream. */
export class SpdySession {
  onStream: (stream: SpdyStream) => void = () => {};
  private readonly parser = new SpdyParser();
  private readonly inflate = HeaderZlib.decompressor();
  private readonly deflate = HeaderZlib.compressor();
  private readonly streams = new Map<number, SpdyStream>();
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly transport: ByteTransport) {}

  /** Feeds bytes from the client. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      return this.close(1);
    }
    for (const frame of frames) this.incoming = this.incoming.then(() => this.handle(frame)).catch(() => this.close(1));
  }

  /** Ends the session: GOAWAY, transport closed, every stream reset. */
  close(status = 0): void {
    if (this.closed) return;
    this.closed = true;
    this.outgoing = this.outgoing.then(() => {
      this.transport.write(goaway(this.lastStreamId, status));
      this.transport.close();
    });
    for (const s of [...this.streams.values()]) this.dropStream(s);
    this.inflate.close();
    this.deflate.close();
  }

  /** The transport is gone. */
  transportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) this.dropStream(s);
  }

  /** Queues a frame after every reply already queued (a stream's data never overtakes its SYN_REPLY). */
  sendAfterReplies(frame: Buffer): void {
    this.outgoing = this.outgoing.then(() => {
      if (!this.closed) this.transport.write(frame);
    });
  }

  dropStream(stream: SpdyStream): void {
    if (stream.reset) return;
    stream.reset = true;
    this.streams.delete(stream.id);
    stream.onReset();
  }

  forgetIfDone(stream: SpdyStream): void {
    if (stream.localEnded && stream.remoteEnded) this.streams.delete(stream.id);
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    if (!frame.control) {
      const stream = this.streams.get(frame.streamId);
      if (!stream) return this.sendAfterReplies(rstStream(frame.streamId, RST.invalidStream));
      if (frame.data.length) stream.onData(frame.data);
      if (frame.flags & FLAG_FIN) {
        stream.remoteEnded = true;
        stream.onEnd();
        this.forgetIfDone(stream);
      }
      return;
    }
    switch (frame.type) {
      case SPDY.synStream: {
        const headers = decodeHeaderBlock(await this.inflate.process(frame.headerBlock!));
        const id = frame.streamId!;
        if (this.streams.has(id) || id % 2 === 0) return this.sendAfterReplies(rstStream(id, RST.protocolError));
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = new SpdyStream(id, headers, this);
        this.streams.set(id, stream);
        const reply = this.deflate.process(encodeHeaderBlock({}));
        this.outgoing = this.outgoing.then(async () => {
          const block = await reply;
          if (!this.closed) this.transport.write(synReply(id, block));
        });
        if (frame.flags & FLAG_FIN) stream.remoteEnded = true;
        this.onStream(stream);
        return;
      }
      case SPDY.synReply:
      case SPDY.headers:
        await this.inflate.process(frame.headerBlock!);
        return;
      case SPDY.rstStream: {
        const stream = this.streams.get(frame.streamId!);
        if (stream) this.dropStream(stream);
        return;
      }
      case SPDY.ping:
        // Client pings carry odd ids; echo them. Even ids would be answers to ours (we send none).
        if (frame.pingId! % 2 === 1) this.sendAfterReplies(ping(frame.pingId!));
        return;
      case SPDY.goaway:
        this.close(0);
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown types need no answer.
        return;
    }
  }
}
