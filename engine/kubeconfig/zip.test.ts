import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractZipEntry } from './zip.js';

/** A one-entry ZIP built by hand (method 0 stored or 8 deflated). */
function zipOf(name: string, content: Buffer, method: 0 | 8): Buffer {
  const data = method === 8 ? deflateRawSync(content) : content;
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const cdStart = local.length + n.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + n.length, 12);
  eocd.writeUInt32LE(cdStart, 16);
  return Buffer.concat([local, n, data, central, n, eocd]);
}

describe('extractZipEntry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-zip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads stored and deflated entries', () => {
    const content = Buffer.from('hello kubelab '.repeat(100));
    expect(extractZipEntry(zipOf('a/b.txt', content, 0), 'a/b.txt').equals(content)).toBe(true);
    expect(extractZipEntry(zipOf('a/b.txt', content, 8), 'a/b.txt').equals(content)).toBe(true);
  });

  it('reads archives made by another ZIP writer (Python zipfile)', () => {
    writeFileSync(join(dir, 'x.bin'), Buffer.from([1, 2, 3, 255]));
    execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED); z.write(sys.argv[2],"dir/x.bin"); z.writestr("other.txt","zz"); z.close()', join(dir, 'x.zip'), join(dir, 'x.bin')]);
    expect([...extractZipEntry(readFileSync(join(dir, 'x.zip')), 'dir/x.bin')]).toEqual([1, 2, 3, 255]);
  });

  it('says what is wrong with a bad archive or a missing entry', () => {
    expect(() => extractZipEntry(Buffer.from('not a zip at all, just text that is long enough'), 'x')).toThrow(/not a ZIP/);
    expect(() => extractZipEntry(zipOf('a', Buffer.from('x'), 0), 'b')).toThrow(/no entry b/);
  });
});
