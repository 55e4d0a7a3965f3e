// Images a node lacks but another node of the cluster has (built there through docker-env, or
// loaded there): copied over from that node's engine (its TLS port, as a client the cluster CA
// signed), so pods run on any node without a registry.
import { readFile } from 'node:fs/promises';
import { parsePeers, PEERS_PATH } from '../network/peers.js';
import { DOCKER_TLS_PORT, PKI_DIR } from '../supervisor/contract.js';
import { DockerApi } from './docker-api.js';

/** Copies images from peers; one copy per image at a time. */
export class PeerImages {
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private credentials?: Promise<{ ca: string; cert: string; key: string }>;

  constructor(
    private readonly local: DockerApi,
    private readonly self: string,
    private readonly log: (line: string) => void,
    private readonly peersPath = PEERS_PATH,
    private readonly pkiDir = PKI_DIR,
  ) {}

  /** Copies `image` from the first peer that has it; resolves with that peer's name, or undefined when none has it. */
  fetch(image: string): Promise<string | undefined> {
    let running = this.inFlight.get(image);
    if (!running) {
      running = this.copy(image).finally(() => this.inFlight.delete(image));
      this.inFlight.set(image, running);
    }
    return running;
  }

  private async copy(image: string): Promise<string | undefined> {
    const text = await readFile(this.peersPath, 'utf8').catch(() => undefined);
    if (!text) return undefined;
    const read = (f: string) => readFile(`${this.pkiDir}/${f}`, 'utf8');
    this.credentials ??= Promise.all([read('ca.crt'), read('node.crt'), read('node.key')]).then(([ca, cert, key]) => ({ ca, cert, key }));
    const creds = await this.credentials.catch(() => undefined);
    if (!creds) return undefined;
    for (const peer of parsePeers(text).peers.filter((p) => p.name !== this.self)) {
      const remote = new DockerApi({ host: peer.ip, port: DOCKER_TLS_PORT, ...creds });
      const has = await remote.hasImage(image).catch(() => false);
      if (!has) continue;
      try {
        await this.local.loadImage(await remote.saveImage(image));
        if (await this.local.hasImage(image)) return peer.name;
      } catch (err) {
        this.log(`copying ${image} from ${peer.name}: ${(err as Error).message}`);
      }
    }
    return undefined;
  }
}
