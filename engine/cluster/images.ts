// `kubelab image load|ls|rm`: images moved between the host's Docker engine and the nodes' nested
// engines, through each node's TLS port (the same one docker-env uses) as the cluster's admin.
// Loading copies only to nodes whose engine lacks the image (same ID), with progress in bytes.
import Docker from 'dockerode';
import { Transform } from 'node:stream';
import type { NodeInfo } from '../docker/provider.js';
import { KubelabError } from '../errors.js';
import type { Progress } from '../log/progress.js';
import { dockerTlsPort, nodeNamed } from './docker-env.js';
import { loadPki } from '../certs/cluster-pki.js';

/** What a load did on one node. */
export interface LoadResult {
  image: string;
  node: string;
  outcome: 'copied' | 'present';
  bytes: number;
}

/** One image as `image ls` shows it: on which nodes it is. */
export interface ImageRow {
  image: string;
  id: string;
  size: number;
  nodes: string[];
}

/** What a removal did on one node. */
export interface RemoveResult {
  image: string;
  node: string;
  outcome: 'removed' | 'absent' | 'in use';
  message?: string;
}

/** "12.3 MB" style sizes (decimal units, as docker prints them). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A text progress bar: `[#######.............] 12.3 MB / 45.6 MB`. */
export function byteBar(done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatBytes(done)} / ${formatBytes(total)}`;
}

/** The nodes an image command acts on: every running node, or the one named (which must run). */
export function targetNodes(cluster: string, nodes: NodeInfo[], node?: string): NodeInfo[] {
  if (node) {
    const found = nodeNamed(cluster, nodes, node);
    if (found.state !== 'running') throw new KubelabError(`node ${found.name} is ${found.state}`, { hint: `start the cluster first: \`kubelab start --name ${cluster}\`` });
    return [found];
  }
  const running = nodes.filter((n) => n.state === 'running');
  if (running.length === 0) throw new KubelabError(`cluster "${cluster}" is not running`, { hint: `start it first: \`kubelab start --name ${cluster}\`` });
  return running;
}

const notFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

/** Image commands of one cluster. */
export class ClusterImages {
  constructor(
    private readonly host: Docker,
    private readonly cluster: string,
    private readonly pkiDir: string,
  ) {}

  /** A dockerode client of the node's nested engine over its published TLS port. */
  private async engineOf(node: NodeInfo): Promise<Docker> {
    const port = dockerTlsPort(this.cluster, node);
    const pki = await loadPki(this.pkiDir);
    return new Docker({ protocol: 'https', host: '127.0.0.1', port, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key });
  }

  /** Copies each image from the host engine to the nodes that lack it. */
  async load(nodes: NodeInfo[], images: string[], progress: Progress): Promise<LoadResult[]> {
    if (images.length === 0) throw new KubelabError('no image given', { hint: 'name one or more images of your docker engine: `kubelab image load myapp:dev`', exitCode: 2 });
    const sources = await Promise.all(
      images.map(async (image) => {
        try {
          const info = await this.host.getImage(image).inspect();
          return { image, id: info.Id, size: info.Size };
        } catch (err) {
          if (notFound(err)) throw new KubelabError(`image "${image}" is not in your docker engine`, { hint: `build or pull it first, then load it (\`docker images ${image}\`)` });
          throw err;
        }
      }),
    );
    const results: LoadResult[] = [];
    for (const node of nodes) {
      const engine = await this.engineOf(node);
      for (const src of sources) {
        const id = await engine.getImage(src.image).inspect().then((i) => i.Id, (err: unknown) => (notFound(err) ? undefined : Promise.reject(err)));
        if (id === src.id) {
          progress({ step: `Image ${src.image}`, status: 'info', message: `already on ${node.name}` });
          results.push({ image: src.image, node: node.name, outcome: 'present', bytes: 0 });
          continue;
        }
        const stepName = `Copying ${src.image} to ${node.name}`;
        const started = Date.now();
        progress({ step: stepName, status: 'start' });
        let bytes = 0;
        let shown = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            if (Date.now() - shown > 200) {
              shown = Date.now();
              progress({ step: stepName, status: 'info', message: byteBar(bytes, src.size) });
            }
            done(null, chunk);
          },
        });
        try {
          const archive = (await this.host.getImage(src.image).get()) as NodeJS.ReadableStream;
          archive.on('error', (err) => counter.destroy(err as Error));
          const answer = (await engine.loadImage(archive.pipe(counter), { quiet: true })) as NodeJS.ReadableStream;
          const text = await new Promise<string>((resolve, reject) => {
            let out = '';
            answer.on('data', (d: Buffer) => (out += d.toString()));
            answer.on('end', () => resolve(out));
            answer.on('error', reject);
          });
          const failed = /"error":\s*"([^"]+)"/.exec(text);
          if (failed) throw new Error(failed[1]);
          progress({ step: stepName, status: 'info', message: byteBar(bytes, bytes) });
          progress({ step: stepName, status: 'done', elapsedMs: Date.now() - started });
        } catch (err) {
          progress({ step: stepName, status: 'fail', message: (err as Error).message, elapsedMs: Date.now() - started });
          throw new KubelabError(`copying ${src.image} to ${node.name} failed: ${(err as Error).message}`, { cause: err });
        }
        results.push({ image: src.image, node: node.name, outcome: 'copied', bytes });
      }
    }
    return results;
  }

  /** The tagged images of the nodes, each with the nodes that have it. */
  async list(nodes: NodeInfo[]): Promise<ImageRow[]> {
    const rows = new Map<string, ImageRow>();
    for (const node of nodes) {
      const engine = await this.engineOf(node);
      for (const img of await engine.listImages()) {
        for (const tag of img.RepoTags ?? []) {
          if (tag === '<none>:<none>') continue;
          const row = rows.get(tag) ?? { image: tag, id: img.Id.replace(/^sha256:/, '').slice(0, 12), size: img.Size, nodes: [] };
          row.nodes.push(node.name);
          rows.set(tag, row);
        }
      }
    }
    return [...rows.values()].sort((a, b) => a.image.localeCompare(b.image));
  }

  /** Removes images from the nodes; an image a container still uses stays (and says so). */
  async remove(nodes: NodeInfo[], images: string[]): Promise<RemoveResult[]> {
    if (images.length === 0) throw new KubelabError('no image given', { hint: 'name the images to remove: `kubelab image rm myapp:dev`', exitCode: 2 });
    const results: RemoveResult[] = [];
    for (const node of nodes) {
      const engine = await this.engineOf(node);
      for (const image of images) {
        try {
          await engine.getImage(image).remove();
          results.push({ image, node: node.name, outcome: 'removed' });
        } catch (err) {
          const code = (err as { statusCode?: number }).statusCode;
          if (code === 404) results.push({ image, node: node.name, outcome: 'absent' });
          else if (code === 409) results.push({ image, node: node.name, outcome: 'in use', message: String((err as { json?: { message?: string } }).json?.message ?? (err as Error).message) });
          else throw err;
        }
      }
    }
    return results;
  }
}
