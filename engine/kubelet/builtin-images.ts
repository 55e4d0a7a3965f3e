// Images every node has without a registry, imported into the nested runtime from the node's own
// static busybox: the sandbox image (busybox alone) and `kubelab/busybox:1`, a small busybox image
// with every applet, /etc/passwd and /tmp, for examples, tests and `kubectl run`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerApi } from './docker-api.js';
import { PAUSE_IMAGE } from './container-config.js';
import { CLUSTER_BUNDLE_PATH } from '../supervisor/contract.js';

/** The busybox image every node offers. */
export const BUSYBOX_IMAGE = 'kubelab/busybox:1';

/** One entry of a tar archive: a file with contents, a directory, or a symbolic link. */
export type TarEntry = { path: string; data: Buffer; mode: number } | { path: string; dir: true; mode: number } | { path: string; link: string };

/** One ustar header block. */
function tarHeader(name: string, size: number, mode: number, type = '0', link = ''): Buffer {
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
  field(type, 156, 1);
  field(link, 157, 100);
  field('ustar', 257, 6);
  field('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  field(`${octal(sum, 7)}\0`, 148, 8);
  return h;
}

/** A tar archive of the given entries. */
export function tarOf(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if ('link' in e) parts.push(tarHeader(e.path, 0, 0o777, '2', e.link));
    else if ('dir' in e) parts.push(tarHeader(e.path.endsWith('/') ? e.path : `${e.path}/`, 0, e.mode, '5'));
    else parts.push(tarHeader(e.path, e.data.length, e.mode), e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Images known to be present (checked once per agent; a removed one is imported again after a failed create). */
const present = new Set<string>();

/** Imports `entries` as image `ref` unless the runtime has it. */
async function ensureImage(docker: DockerApi, ref: string, entries: () => Promise<TarEntry[]>, changes: string[] = []): Promise<void> {
  if (present.has(ref)) return;
  if (await docker.hasImage(ref)) {
    present.add(ref);
    return;
  }
  const [repo, tag] = ref.split(':') as [string, string];
  const res = await docker.importImage(tarOf(await entries()), repo, tag, changes);
  if (!(await docker.hasImage(ref))) throw new Error(`importing ${ref} failed: ${res}`);
  present.add(ref);
}

/** Forgets that `ref` was present (after the runtime said it is not). */
export function forgetImage(ref: string): void {
  present.delete(ref);
}

/** Makes sure the nested runtime has the sandbox image; imports it from the node's busybox when missing. */
export function ensurePauseImage(docker: DockerApi, busybox = '/bin/busybox'): Promise<void> {
  return ensureImage(docker, PAUSE_IMAGE, async () => [{ path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 }]);
}

/** Makes sure the nested runtime has BUSYBOX_IMAGE (every applet linked in /bin, root and nobody users, /tmp). */
export function ensureBusyboxImage(docker: DockerApi, busybox = '/bin/busybox'): Promise<void> {
  return ensureImage(docker, BUSYBOX_IMAGE, async () => {
    const { stdout } = await promisify(execFile)(busybox, ['--list']);
    const applets = stdout.split('\n').filter((a) => a && a !== 'busybox' && /^[\w.\[-]+$/.test(a));
    return [
      { path: 'bin', dir: true, mode: 0o755 },
      { path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 },
      ...applets.map((a) => ({ path: `bin/${a}`, link: 'busybox' })),
      { path: 'etc', dir: true, mode: 0o755 },
      { path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n'), mode: 0o644 },
      { path: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n'), mode: 0o644 },
      { path: 'root', dir: true, mode: 0o700 },
      { path: 'tmp', dir: true, mode: 0o1777 },
      { path: 'var/www', dir: true, mode: 0o755 },
    ];
  }, ['CMD ["sh"]', 'ENV PATH=/bin']);
}

/** Repository of the image of kubelab's own cluster add-ons (DNS): Node.js and the cluster bundle. */
export const SYSTEM_IMAGE_REPO = 'kubelab/system';

let systemRef: string | undefined;

/** The system image's reference: its tag is a hash of the bundle, so a new bundle means a new image. */
export async function systemImage(bundle = CLUSTER_BUNDLE_PATH): Promise<string> {
  systemRef ??= `${SYSTEM_IMAGE_REPO}:${createHash('sha256').update(await readFile(bundle)).digest('hex').slice(0, 12)}`;
  return systemRef;
}

/**
 * The script that imports the system image: a tar of the node's Node.js, the libraries it links
 * (ldd), the internals Debian's build loads from /usr/share/nodejs (their paths are written in its
 * library) and the bundle, piped into `docker import`. Run as a child process, so the agent never
 * holds the ~60 MB in its own heap.
 */
export const SYSTEM_IMAGE_SCRIPT = [
  'set -eu',
  'libs=$(ldd "$NODE" | sed -n "s/.*=> \\(\\/[^ ]*\\).*/\\1/p; s/^[[:space:]]*\\(\\/[^ ]*\\) (.*/\\1/p")',
  'internals=$(grep -aoh "/usr/share/nodejs/[A-Za-z0-9_./-]*[.]js" $libs "$NODE" | sort -u | while read -r f; do [ -e "$f" ] && echo "$f"; done || true)',
  'mkdir -p "$WORK/etc" "$WORK/tmp" && chmod 1777 "$WORK/tmp"',
  'printf "root:x:0:0:root:/root:/bin/false\\nnobody:x:65534:65534:nobody:/:/bin/false\\n" > "$WORK/etc/passwd"',
  'printf "root:x:0:\\nnogroup:x:65534:\\n" > "$WORK/etc/group"',
  'tar -c -h -f - -C / $(for f in "$NODE" "$BUNDLE" $libs $internals; do echo "${f#/}"; done) -C "$WORK" etc tmp | docker -H "unix://$SOCKET" import -c "$ENTRYPOINT" - "$IMAGE" >/dev/null',
].join('\n');

/**
 * Makes the system image when `image` names it and the runtime lacks it: the node's own Node.js
 * with what it needs and the cluster bundle, entrypoint `node cluster.cjs` (the pod's args name
 * the command). Built on first use only, so nodes that run no add-on never carry it. Returns
 * whether `image` was the system image.
 */
export async function ensureSystemImage(docker: DockerApi, image: string): Promise<boolean> {
  if (image !== (await systemImage())) return false;
  if (present.has(image)) return true;
  if (!(await docker.hasImage(image))) {
    const work = await mkdtemp(join(tmpdir(), 'kubelab-system-'));
    try {
      await promisify(execFile)('sh', ['-c', SYSTEM_IMAGE_SCRIPT], {
        env: {
          PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
          NODE: process.execPath,
          BUNDLE: CLUSTER_BUNDLE_PATH,
          WORK: work,
          SOCKET: typeof docker.endpoint === 'string' ? docker.endpoint : '/var/run/docker.sock',
          IMAGE: image,
          ENTRYPOINT: `ENTRYPOINT ["${process.execPath}", "${CLUSTER_BUNDLE_PATH}"]`,
        },
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    if (!(await docker.hasImage(image))) throw new Error(`importing ${image} failed`);
  }
  present.add(image);
  return true;
}
