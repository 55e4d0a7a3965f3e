// Pod volumes on the node: a directory per volume under the pod's folder, filled from
// ConfigMaps, Secrets, the downward API and service-account tokens, or backed by a tmpfs
// (emptyDir medium Memory, Secrets) or a node path (hostPath, and the hostPath or local
// PersistentVolume a claim is bound to). Containers get bind mounts.
import { chmod, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { runCommand, type CommandRunner } from '../network/command.js';
import { units } from '../scheduler/resources.js';
import { claimMount, claimProblem, unprocessable, type ClaimSource } from './claim-volumes.js';
import type { PreparedMount } from './container-config.js';
import { expand, podField, resourceField, type ConfigSource, type NodeFacts } from './env.js';
import type { Container, DownwardItem, KeyToPath, Pod, Volume } from './pod-types.js';

/** Where pods' folders live on the node (the node's /var volume, so they survive node restarts). */
export const PODS_DIR = '/var/lib/kubelab/pods';

/** A volume that cannot be set up now (missing source, failed check): FailedMount, containers keep waiting. */
export class VolumeError extends Error {
  constructor(
    readonly volume: string,
    message: string,
    /** Set when `message` is the whole text (not a SetUp failure of `volume`). */
    whole = false,
  ) {
    super(whole ? message : `MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = 'VolumeError';
  }
}

/** Asks for a token for the pod's service account (TokenRequest bound to the pod). */
export type TokenSource = (pod: Pod, audience: string | undefined, expirationSeconds: number) => Promise<{ token: string; expiresAt: number }>;

/** The path of a pod's folder. */
export function podDir(uid: string): string {
  return join(PODS_DIR, uid);
}

/** Rejects item paths that would leave the volume (absolute, `..`). */
function safeJoin(dir: string, path: string, volume: string): string {
  const clean = normalize(path);
  if (clean.startsWith('/') || clean === '..' || clean.startsWith('../')) throw new VolumeError(volume, `invalid path "${path}"`);
  return join(dir, clean);
}

/** Files of a ConfigMap/Secret-like source: every key, or the listed items. */
function selected(data: Record<string, string>, items: KeyToPath[] | undefined, volume: string, kind: string, name: string, optional: boolean | undefined): Array<{ path: string; content: string; mode?: number }> {
  if (!items?.length) return Object.entries(data).map(([k, v]) => ({ path: k, content: v }));
  const out: Array<{ path: string; content: string; mode?: number }> = [];
  for (const it of items) {
    if (!(it.key in data)) {
      if (optional) continue;
      throw new VolumeError(volume, `configmap references non-existent config key: ${it.key}`.replace('configmap', kind === 'secret' ? `secret "${name}"` : 'configmap'));
    }
    out.push({ path: it.path, content: data[it.key]!, mode: it.mode });
  }
  return out;
}

/** Keeps a pod's volumes on the node. */
export class PodVolumes {
  /** Token expiry per pod uid and path, so tokens are renewed before they lapse. */
  private readonly tokens = new Map<string, number>();
  /** Where each claim volume's data is, by pod uid and volume name (set by setUp, read by mountsFor). */
  private readonly claimPaths = new Map<string, string>();

  constructor(
    private readonly source: ConfigSource,
    private readonly tokenSource: TokenSource,
    private readonly node: NodeFacts,
    private readonly claims?: ClaimSource,
    /** Runs mount(8) and umount(8) (the agent's: its command shell). */
    private readonly run: CommandRunner = runCommand,
  ) {}

  /** Creates or refreshes every volume of `pod`; throws VolumeError for the first that cannot be set up. */
  async setUp(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    for (const v of pod.spec.volumes ?? []) await this.setUpOne(pod, uid, v);
  }

  private async setUpOne(pod: Pod, uid: string, v: Volume): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const dir = join(podDir(uid), 'volumes', v.name);
    if (v.hostPath) return checkHostPath(v.name, v.hostPath.path, v.hostPath.type ?? '');
    if (v.persistentVolumeClaim) return this.setUpClaim(ns, uid, v.name, v.persistentVolumeClaim.claimName);
    await mkdir(dir, { recursive: true });
    if (v.emptyDir) {
      if (v.emptyDir.medium === 'Memory') await ensureTmpfs(dir, v.emptyDir.sizeLimit, this.run);
      return;
    }
    if (v.secret) await ensureTmpfs(dir, undefined, this.run);
    const files: Array<{ path: string; content: string; mode?: number }> = [];
    if (v.configMap) {
      const data = await this.source.configMap(ns, v.configMap.name);
      if (!data && !v.configMap.optional) throw new VolumeError(v.name, `configmap "${v.configMap.name}" not found`);
      if (data) files.push(...selected(data, v.configMap.items, v.name, 'configmap', v.configMap.name, v.configMap.optional));
    }
    if (v.secret) {
      const name = v.secret.secretName ?? '';
      const data = await this.source.secret(ns, name);
      if (!data && !v.secret.optional) throw new VolumeError(v.name, `secret "${name}" not found`);
      if (data) files.push(...selected(data, v.secret.items, v.name, 'secret', name, v.secret.optional));
    }
    if (v.downwardAPI) files.push(...this.downward(pod, v.downwardAPI.items ?? []));
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap) {
        const data = await this.source.configMap(ns, src.configMap.name);
        if (!data && !src.configMap.optional) throw new VolumeError(v.name, `configmap "${src.configMap.name}" not found`);
        if (data) files.push(...selected(data, src.configMap.items, v.name, 'configmap', src.configMap.name, src.configMap.optional));
      }
      if (src.secret) {
        const data = await this.source.secret(ns, src.secret.name);
        if (!data && !src.secret.optional) throw new VolumeError(v.name, `secret "${src.secret.name}" not found`);
        if (data) files.push(...selected(data, src.secret.items, v.name, 'secret', src.secret.name, src.secret.optional));
      }
      if (src.downwardAPI) files.push(...this.downward(pod, src.downwardAPI.items ?? []));
      if (src.serviceAccountToken) {
        const key = `${uid}/${v.name}/${src.serviceAccountToken.path}`;
        const target = safeJoin(dir, src.serviceAccountToken.path, v.name);
        const expires = this.tokens.get(key);
        if (expires !== undefined && Date.now() < expires && (await exists(target))) continue;
        const seconds = src.serviceAccountToken.expirationSeconds ?? 3607;
        try {
          const t = await this.tokenSource(pod, src.serviceAccountToken.audience, seconds);
          // Renew at 80% of the lifetime, as kubelet does.
          this.tokens.set(key, Date.now() + (t.expiresAt - Date.now()) * 0.8);
          files.push({ path: src.serviceAccountToken.path, content: t.token, mode: 0o644 });
        } catch (err) {
          throw new VolumeError(v.name, `failed to fetch token: ${(err as Error).message}`);
        }
      }
    }
    const mode = v.configMap?.defaultMode ?? v.secret?.defaultMode ?? v.downwardAPI?.defaultMode ?? v.projected?.defaultMode ?? 0o644;
    await writeFiles(dir, files, mode, v.name, Boolean(v.configMap || v.secret || v.downwardAPI));
  }

  /** Resolves the claim to its bound volume and prepares the volume's path (created for DirectoryOrCreate). */
  private async setUpClaim(ns: string, uid: string, volume: string, name: string): Promise<void> {
    if (!this.claims) throw new VolumeError(volume, unprocessable(volume, `error processing PVC ${ns}/${name}: this node agent reads no claims`), true);
    const claim = await this.claims.claim(ns, name).then((c) => ({ c }), (err: Error) => ({ c: undefined, err }));
    const problem = claimProblem(ns, name, claim.c, 'err' in claim ? claim.err : undefined);
    if (problem) throw new VolumeError(volume, unprocessable(volume, problem), true);
    const pvName = claim.c!.spec!.volumeName!;
    const pv = await this.claims.volume(pvName).then((v) => ({ v }), (err: Error) => ({ v: undefined, err }));
    const found = claimMount(ns, claim.c!, pv.v, 'err' in pv ? pv.err : undefined, this.claims.node);
    if ('problem' in found) throw new VolumeError(volume, unprocessable(volume, found.problem), true);
    if (found.source === 'local') {
      if (!(await exists(found.path))) throw new VolumeError(found.pv, `MountVolume.NewMounter initialization failed for volume "${found.pv}" : path "${found.path}" does not exist`, true);
    } else {
      const made = !(await exists(found.path));
      await checkHostPath(found.pv, found.path, found.hostPathType);
      // mkdir's mode passes through the umask: set the local-path provisioner's open mode explicitly.
      if (made && found.hostPathType === 'DirectoryOrCreate' && found.dirMode !== 0o755) await chmod(found.path, found.dirMode);
    }
    this.claimPaths.set(`${uid}/${volume}`, found.path);
  }

  private downward(pod: Pod, items: DownwardItem[]): Array<{ path: string; content: string; mode?: number }> {
    return items.map((it) => ({
      path: it.path,
      mode: it.mode,
      content: it.fieldRef
        ? podField(pod, it.fieldRef.fieldPath)
        : it.resourceFieldRef
          ? resourceField(pod, it.resourceFieldRef.containerName ?? '', it.resourceFieldRef.resource, it.resourceFieldRef.divisor, this.node)
          : '',
    }));
  }

  /** Bind mounts for `container` (subPath and subPathExpr resolved, created when missing). */
  async mountsFor(pod: Pod, container: Container, env: ReadonlyMap<string, string>): Promise<PreparedMount[]> {
    const uid = pod.metadata.uid ?? '';
    const mounts: PreparedMount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const v = (pod.spec.volumes ?? []).find((x) => x.name === m.name);
      if (!v) throw new VolumeError(m.name, `no volume named "${m.name}" in the pod`);
      let source = v.hostPath ? v.hostPath.path : join(podDir(uid), 'volumes', v.name);
      if (v.persistentVolumeClaim) {
        const path = this.claimPaths.get(`${uid}/${v.name}`);
        if (!path) throw new VolumeError(v.name, `claim "${v.persistentVolumeClaim.claimName}" is not set up yet`);
        source = path;
      }
      const sub = m.subPathExpr ? expand(m.subPathExpr, env) : m.subPath;
      if (sub) {
        source = safeJoin(source, sub, v.name);
        if (!(await exists(source))) await mkdir(source, { recursive: true });
      }
      const readOnly = Boolean(m.readOnly) || Boolean(v.configMap || v.secret || v.downwardAPI || v.projected) || Boolean(v.persistentVolumeClaim?.readOnly);
      mounts.push({ source, target: m.mountPath, readOnly });
    }
    return mounts;
  }

  /** Removes a pod's folder (unmounting tmpfs volumes first) once its containers are gone. */
  async tearDown(uid: string): Promise<void> {
    const volumes = join(podDir(uid), 'volumes');
    // Only tmpfs volumes are mounts; the mount table says which, so no umount runs for the others.
    const mounted = await mountPoints();
    for (const name of await readdir(volumes).catch(() => [] as string[])) {
      const path = join(volumes, name);
      if (mounted && !mounted.has(path)) continue;
      await this.run('umount', [path]).catch(() => undefined);
    }
    await rm(podDir(uid), { recursive: true, force: true });
    for (const key of this.tokens.keys()) if (key.startsWith(`${uid}/`)) this.tokens.delete(key);
    for (const key of this.claimPaths.keys()) if (key.startsWith(`${uid}/`)) this.claimPaths.delete(key);
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** The node's mount points (undefined when the mount table cannot be read). Read, not run: a child process costs the agent far more. */
async function mountPoints(): Promise<Map<string, string> | undefined> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const sep = f.indexOf('-');
    if (f[4] && sep > 0) out.set(f[4].replace(/\\040/g, ' '), f[sep + 1] ?? '');
  }
  return out;
}

/** Mounts a tmpfs on `dir` unless one is there already. */
async function ensureTmpfs(dir: string, sizeLimit: string | number | undefined, run: CommandRunner): Promise<void> {
  if ((await mountPoints())?.get(dir) === 'tmpfs') return;
  const opts = ['mode=0777', ...(sizeLimit !== undefined ? [`size=${units(sizeLimit)}`] : [])];
  await run('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir]);
}

/** Writes the volume's files and, for ConfigMap/Secret-style volumes, removes files no longer present. */
async function writeFiles(dir: string, files: Array<{ path: string; content: string; mode?: number }>, defaultMode: number, volume: string, prune: boolean): Promise<void> {
  const wanted = new Set<string>();
  for (const f of files) {
    const target = safeJoin(dir, f.path, volume);
    wanted.add(f.path.split('/')[0]!);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content, { mode: f.mode ?? defaultMode });
  }
  if (!prune) return;
  for (const entry of await readdir(dir)) if (!wanted.has(entry)) await rm(join(dir, entry), { recursive: true, force: true });
}

/** Checks (and for the *OrCreate types, creates) a hostPath volume's path. */
async function checkHostPath(volume: string, path: string, type: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  const fail = (what: string) => {
    throw new VolumeError(volume, `hostPath type check failed: ${path} is not ${what}`);
  };
  switch (type) {
    case 'DirectoryOrCreate':
      if (!info) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!info.isDirectory()) fail('a directory');
      return;
    case 'FileOrCreate':
      if (!info) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, '', { mode: 0o644 });
      } else if (!info.isFile()) fail('a file');
      return;
    case 'Directory':
      if (!info?.isDirectory()) fail('a directory');
      return;
    case 'File':
      if (!info?.isFile()) fail('a file');
      return;
    case 'Socket':
      if (!info?.isSocket()) fail('a socket file');
      return;
    case 'CharDevice':
      if (!info?.isCharacterDevice()) fail('a character device');
      return;
    case 'BlockDevice':
      if (!info?.isBlockDevice()) fail('a block device');
      return;
    default:
      // "" (no check): Docker creates a missing path as a directory.
      return;
  }
}
