// The sandbox image: the node's static busybox alone on an empty root, imported into the nested
// runtime the first time the agent needs it (no registry is needed, none may be reachable).
import { readFile } from 'node:fs/promises';
import type { DockerApi } from './docker-api.js';
import { PAUSE_IMAGE } from './container-config.js';

/** One ustar header block for a regular file. */
function tarHeader(name: string, size: number, mode: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const field = (text: string, offset: number, length: number) => h.write(text, offset, length, 'ascii');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  field(name, 0, 100);
  field(octal(mode, 8), 100, 8);
  field(octal(0, 8), 108, 8);
  field(octal(0, 8), 116, 8);
  field(octal(size, 12), 124, 12);
  field(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  field('        ', 148, 8);
  field('0', 156, 1);
  field('ustar', 257, 6);
  field('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  field(`${octal(sum, 7)}\0`, 148, 8);
  return h;
}

/** A tar archive of the given files (path → contents, mode). */
export function tarOf(files: Array<{ path: string; data: Buffer; mode: number }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(tarHeader(f.path, f.data.length, f.mode), f.data, Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Makes sure the nested runtime has the sandbox image; imports it from the node's busybox when missing. */
export async function ensurePauseImage(docker: DockerApi, busybox = '/bin/busybox'): Promise<void> {
  if (await docker.hasImage(PAUSE_IMAGE)) return;
  const tar = tarOf([{ path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 }]);
  const [repo, tag] = PAUSE_IMAGE.split(':') as [string, string];
  const res = await docker.importImage(tar, repo, tag);
  if (!(await docker.hasImage(PAUSE_IMAGE))) throw new Error(`importing ${PAUSE_IMAGE} failed: ${res}`);
}
