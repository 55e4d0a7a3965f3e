import { Agent, request } from 'node:http';
import { fromEtcdMessage, StoreError } from './errors.js';

/** A key-value pair as etcd keeps it. */
export interface KeyValue {
  key: string;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
}

/** One change seen by a watch. */
export interface EtcdEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** A running watch; cancel() stops it. */
export interface EtcdWatch {
  cancel(): void;
}

interface RawKv {
  key: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** The end of the key range holding every key that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix);
  for (let i = bytes.length - 1; i >= 0; i--) {
    if ((bytes[i] ?? 0) < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = (end[i] ?? 0) + 1;
      return end.toString('latin1');
    }
  }
  return '\0';
}

function toKv(raw: RawKv): KeyValue {
  return {
    key: Buffer.from(raw.key, 'base64').toString(),
    value: Buffer.from(raw.value ?? '', 'base64'),
    createRevision: Number(raw.create_revision ?? 0),
    modRevision: Number(raw.mod_revision ?? 0),
    version: Number(raw.version ?? 0),
  };
}

/** Encodes a range end given as a (possibly binary) latin1 string. */
const rangeEnd = (end: string) => Buffer.from(end, 'latin1').toString('base64');

/**
 * etcd v3 client over its JSON gateway (HTTP): range, put, transactions (compare-and-swap),
 * delete, compaction and watches. Keeps connections alive; no gRPC dependency.
 */
export class EtcdClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly host: string;
  private readonly port: number;

  constructor(endpoint: string) {
    const url = new URL(endpoint);
    this.host = url.hostname;
    this.port = Number(url.port || 2379);
  }

  /** Reads one key, or every key under a prefix (sorted), at `revision` (0 = latest). */
  async range(opts: { key: string; prefix?: boolean; from?: string; limit?: number; revision?: number; countOnly?: boolean }): Promise<{ kvs: KeyValue[]; more: boolean; count: number; revision: number }> {
    const body: Record<string, unknown> = { key: b64(opts.from ?? opts.key) };
    if (opts.prefix) body.range_end = rangeEnd(prefixEnd(opts.key));
    if (opts.limit) body.limit = String(opts.limit);
    if (opts.revision) body.revision = String(opts.revision);
    if (opts.countOnly) body.count_only = true;
    const res = (await this.call('/v3/kv/range', body)) as { header: { revision: string }; kvs?: RawKv[]; more?: boolean; count?: string };
    return { kvs: (res.kvs ?? []).map(toKv), more: Boolean(res.more), count: Number(res.count ?? 0), revision: Number(res.header.revision) };
  }

  /**
   * Writes `value` at `key` only if the key's mod revision equals `modRevision` (0 = the key must
   * not exist). Returns the new revision, or the current key-value when the comparison failed.
   */
  async putIf(key: string, value: Buffer, modRevision: number): Promise<{ ok: true; revision: number } | { ok: false; current?: KeyValue }> {
    const compare = [{ key: b64(key), target: 'MOD', result: 'EQUAL', mod_revision: String(modRevision) }];
    const res = (await this.call('/v3/kv/txn', {
      compare,
      success: [{ request_put: { key: b64(key), value: value.toString('base64') } }],
      failure: [{ request_range: { key: b64(key) } }],
    })) as { header: { revision: string }; succeeded?: boolean; responses?: Array<{ response_range?: { kvs?: RawKv[] } }> };
    if (res.succeeded) return { ok: true, revision: Number(res.header.revision) };
    const kv = res.responses?.[0]?.response_range?.kvs?.[0];
    return { ok: false, current: kv ? toKv(kv) : undefined };
  }

  /** Deletes `key` only if its mod revision equals `modRevision`; returns the deleted pair, or the current one when the comparison failed. */
  async deleteIf(key: string, modRevision: number): Promise<{ ok: true; revision: number; prev: KeyValue } | { ok: false; current?: KeyValue }> {
    const res = (await this.call('/v3/kv/txn', {
      compare: [{ key: b64(key), target: 'MOD', result: 'EQUAL', mod_revision: String(modRevision) }],
      success: [{ request_delete_range: { key: b64(key), prev_kv: true } }],
      failure: [{ request_range: { key: b64(key) } }],
    })) as {
      header: { revision: string };
      succeeded?: boolean;
      responses?: Array<{ response_delete_range?: { prev_kvs?: RawKv[] }; response_range?: { kvs?: RawKv[] } }>;
    };
    if (res.succeeded) {
      const prev = res.responses?.[0]?.response_delete_range?.prev_kvs?.[0];
      if (!prev) return { ok: false };
      return { ok: true, revision: Number(res.header.revision), prev: toKv(prev) };
    }
    const kv = res.responses?.[0]?.response_range?.kvs?.[0];
    return { ok: false, current: kv ? toKv(kv) : undefined };
  }

  /** Discards history before `revision`; watches and reads below it then fail as Expired. */
  async compact(revision: number): Promise<void> {
    await this.call('/v3/kv/compaction', { revision: String(revision), physical: false });
  }

  /**
   * Watches every key under `prefix` from `startRevision` (inclusive). Events arrive in order;
   * `onError` is called once when the watch ends for any reason other than cancel(), with a
   * StoreError('Expired') when `startRevision` was compacted away.
   */
  watch(prefix: string, startRevision: number, onEvents: (events: EtcdEvent[], revision: number) => void, onError: (err: StoreError) => void): EtcdWatch {
    let cancelled = false;
    let ended = false;
    const fail = (err: StoreError) => {
      if (cancelled || ended) return;
      ended = true;
      req.destroy();
      onError(err);
    };
    const req = request(
      { host: this.host, port: this.port, path: '/v3/watch', method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) this.handleWatchLine(line, onEvents, fail);
          }
        });
        res.on('end', () => fail(new StoreError('Unavailable', 'etcd closed the watch')));
        res.on('error', (e) => fail(fromEtcdMessage(e.message)));
      },
    );
    req.on('error', (e) => fail(fromEtcdMessage(e.message)));
    req.end(
      JSON.stringify({
        create_request: { key: b64(prefix), range_end: rangeEnd(prefixEnd(prefix)), start_revision: String(startRevision), prev_kv: true, progress_notify: true },
      }),
    );
    return {
      cancel: () => {
        cancelled = true;
        req.destroy();
      },
    };
  }

  /** Closes idle connections. */
  close(): void {
    this.agent.destroy();
  }

  private handleWatchLine(line: string, onEvents: (events: EtcdEvent[], revision: number) => void, fail: (err: StoreError) => void): void {
    let msg: { result?: { header?: { revision?: string }; canceled?: boolean; compact_revision?: string; cancel_reason?: string; events?: Array<{ type?: string; kv: RawKv; prev_kv?: RawKv }> }; error?: { message?: string; grpc_code?: number } };
    try {
      msg = JSON.parse(line);
    } catch {
      return fail(new StoreError('Internal', `unreadable watch message from etcd: ${line.slice(0, 200)}`));
    }
    if (msg.error) return fail(fromEtcdMessage(msg.error.message ?? 'watch error', msg.error.grpc_code));
    const r = msg.result;
    if (!r) return;
    if (r.canceled) {
      if (r.compact_revision && r.compact_revision !== '0') return fail(new StoreError('Expired', `watch start revision was compacted (oldest kept: ${r.compact_revision})`));
      return fail(new StoreError('Unavailable', `etcd cancelled the watch${r.cancel_reason ? `: ${r.cancel_reason}` : ''}`));
    }
    const revision = Number(r.header?.revision ?? 0);
    const events = (r.events ?? []).map((e) => ({
      type: (e.type === 'DELETE' ? 'DELETE' : 'PUT') as EtcdEvent['type'],
      kv: toKv(e.kv),
      prevKv: e.prev_kv ? toKv(e.prev_kv) : undefined,
    }));
    onEvents(events, revision);
  }

  private call(path: string, body: unknown): Promise<unknown> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.host, port: this.port, path, method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let data: { error?: string; message?: string; code?: number };
            try {
              data = JSON.parse(text);
            } catch {
              return reject(new StoreError('Internal', `unreadable answer from etcd (${res.statusCode}): ${text.slice(0, 200)}`));
            }
            if ((res.statusCode ?? 500) >= 400 || data.error) return reject(fromEtcdMessage(data.message ?? data.error ?? text, data.code));
            resolve(data);
          });
          res.on('error', (e) => reject(fromEtcdMessage(e.message)));
        },
      );
      req.on('error', (e) => reject(fromEtcdMessage(e.message)));
      req.end(payload);
    });
  }
}
