import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClusterPki } from '../certs/cluster-pki.js';
import { RestClient } from './rest-client.js';

describe('RestClient with a bearer token', () => {
  const pki = createClusterPki(['127.0.0.1']);
  const seen: Array<string | undefined> = [];
  let server: Server;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-token-'));

  beforeAll(async () => {
    server = createServer({ key: pki.apiserver.key, cert: pki.apiserver.cert }, (req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"Status"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a fixed token without any client certificate', async () => {
    const client = new RestClient({ server: url, ca: pki.ca.cert, token: 'abc' });
    await client.get('/api');
    client.close();
    expect(seen.pop()).toBe('Bearer abc');
  });

  it('reads a token file and picks up a rotated token after a minute', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'first\n');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const client = new RestClient({ server: url, ca: pki.ca.cert, tokenFile: file });
      await client.get('/api');
      writeFileSync(file, 'second\n');
      await client.get('/api');
      vi.setSystemTime(Date.now() + 61_000);
      await client.get('/api');
      client.close();
    } finally {
      vi.useRealTimers();
    }
    expect(seen.splice(0)).toEqual(['Bearer first', 'Bearer first', 'Bearer second']);
  });
});
