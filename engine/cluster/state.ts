import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterDir } from '../config/paths.js';
import { KubelabError } from '../errors.js';

/** True when a process with this PID exists on this host. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a marker file records: which process, doing what, since when. */
interface Marker {
  pid: number;
  operation: string;
  since: string;
}

async function readMarker(file: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/**
 * Host-side bookkeeping of clusters in `<home>/clusters/<name>/`: a lock so two kubelab processes
 * never change one cluster at once, and a marker that says a create is in progress, so the parts
 * of a create that was cut off (process killed, engine gone) can be found and removed later.
 */
export class ClusterState {
  constructor(private readonly home: string) {}

  /** Takes the cluster's lock for `operation`; throws when a live process holds it. Returns the release function. */
  async lock(cluster: string, operation: string): Promise<() => Promise<void>> {
    const dir = clusterDir(this.home, cluster);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(file, JSON.stringify({ pid: process.pid, operation, since: new Date().toISOString() }), { flag: 'wx' });
        return async () => {
          const m = await readMarker(file);
          if (m?.pid === process.pid) await rm(file, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = await readMarker(file);
        if (holder && holder.pid !== process.pid && pidAlive(holder.pid)) {
          throw new KubelabError(`cluster "${cluster}" is busy: another kubelab (pid ${holder.pid}) is running \`${holder.operation}\` on it since ${holder.since}`, {
            hint: 'wait for it to finish, then try again',
          });
        }
        await rm(file, { force: true }); // stale: its process is gone
      }
    }
    throw new KubelabError(`could not take the lock of cluster "${cluster}"`);
  }

  /** Records that a create of `cluster` has begun in this process. */
  async markCreating(cluster: string): Promise<void> {
    const dir = clusterDir(this.home, cluster);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'creating'), JSON.stringify({ pid: process.pid, operation: 'create', since: new Date().toISOString() }));
  }

  /** Records that the create of `cluster` finished (or its parts were removed). */
  async clearCreating(cluster: string): Promise<void> {
    await rm(join(clusterDir(this.home, cluster), 'creating'), { force: true });
  }

  /** Clusters whose create was cut off: the marker is there but its process is gone. */
  async interruptedCreates(): Promise<string[]> {
    const root = join(this.home, 'clusters');
    if (!existsSync(root)) return [];
    const out: string[] = [];
    for (const name of await readdir(root)) {
      const m = await readMarker(join(root, name, 'creating'));
      if (m && !pidAlive(m.pid)) out.push(name);
    }
    return out;
  }

  /** Folder of the cluster's certificates. */
  /** The cluster's own folder of host-side state. */
  dir(cluster: string): string {
    return clusterDir(this.home, cluster);
  }

  pkiDir(cluster: string): string {
    return join(clusterDir(this.home, cluster), 'pki');
  }

  /** Forgets everything kept about `cluster`. */
  async remove(cluster: string): Promise<void> {
    await rm(clusterDir(this.home, cluster), { recursive: true, force: true });
  }
}
