// SPDY/3 header compression: one zlib stream per direction for a whole session, primed with the
// SPDY/3 dictionary, each header block ending on a sync flush.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

/** One direction's zlib context; blocks are processed in call order. */
export class HeaderZlib {
  private chain: Promise<unknown> = Promise.resolve();
  private out: Buffer[] = [];
  private failure: Error | undefined;

  private constructor(private readonly z: Deflate | Inflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', (err: Error) => (this.failure = err));
  }

  /** A compressor (for header blocks we send). */
  static compressor(): HeaderZlib {
    return new HeaderZlib(createDeflate({ dictionary: SPDY3_DICTIONARY }));
  }

  /** A decompressor (for header blocks the peer sends). */
  static decompressor(): HeaderZlib {
    return new HeaderZlib(createInflate({ dictionary: SPDY3_DICTIONARY }));
  }

  /** Runs one header block through the stream; resolves with the output up to a sync flush. */
  process(block: Buffer): Promise<Buffer> {
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.z.write(block);
          this.z.flush(constants.Z_SYNC_FLUSH, () => {
            if (this.failure) return reject(new Error(`SPDY header block: ${this.failure.message}`));
            const result = Buffer.concat(this.out);
            this.out = [];
            resolve(result);
          });
        }),
    );
    this.chain = next.catch(() => {});
    return next;
  }

  close(): void {
    this.z.close();
  }
}
