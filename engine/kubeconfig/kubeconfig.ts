import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** What kubectl needs to reach one cluster as its admin. */
export interface ClusterAccess {
  /** Context, cluster and user name: `kubelab-<cluster>`. */
  name: string;
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Array<Named<unknown>>;
  users?: Array<Named<unknown>>;
  contexts?: Array<Named<unknown>>;
  'current-context'?: string;
  preferences?: unknown;
  [key: string]: unknown;
}

/** The context name kubelab uses for a cluster. */
export function contextName(cluster: string): string {
  return `kubelab-${cluster}`;
}

/** The kubeconfig file kubelab writes to: the first file of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(delimiter).find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

function parseDoc(text: string): KubeconfigDoc {
  if (!text.trim()) return {};
  const doc = parse(text) as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the kubeconfig is not a YAML mapping');
  return doc as KubeconfigDoc;
}

const upsert = <T>(list: Array<Named<T>> | undefined, entry: Named<T>) => [...(list ?? []).filter((e) => e.name !== entry.name), entry];

/** Adds (or replaces) one cluster's context, cluster and user in a kubeconfig text, leaving everything else as it was. */
export function mergeAccess(text: string, access: ClusterAccess, makeCurrent: boolean): string {
  const doc = parseDoc(text);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  doc.apiVersion ??= 'v1';
  doc.kind ??= 'Config';
  doc.clusters = upsert(doc.clusters, { name: access.name, cluster: { server: access.server, 'certificate-authority-data': b64(access.caCert) } });
  doc.users = upsert(doc.users, { name: access.name, user: { 'client-certificate-data': b64(access.clientCert), 'client-key-data': b64(access.clientKey) } });
  doc.contexts = upsert(doc.contexts, { name: access.name, context: { cluster: access.name, user: access.name } });
  if (makeCurrent || !doc['current-context']) doc['current-context'] = access.name;
  doc.preferences ??= {};
  return stringify(doc);
}

/** Removes one cluster's context, cluster and user; clears current-context if it pointed there. */
export function removeAccess(text: string, name: string): string {
  const doc = parseDoc(text);
  const drop = (list?: Array<Named<unknown>>) => list?.filter((e) => e.name !== name);
  doc.clusters = drop(doc.clusters);
  doc.users = drop(doc.users);
  doc.contexts = drop(doc.contexts);
  if (doc['current-context'] === name) doc['current-context'] = '';
  return stringify(doc);
}

/** A kubeconfig holding only this cluster (what `kubelab kubeconfig` prints). */
export function standaloneKubeconfig(access: ClusterAccess): string {
  return mergeAccess('', access, true);
}

/** The context names of a kubeconfig text and its current-context (empty when there is none). */
export function kubeconfigContextsOf(text: string): { names: Set<string>; current?: string } {
  const doc = parseDoc(text);
  const names = new Set((doc.contexts ?? []).map((c) => c?.name).filter((n): n is string => typeof n === 'string'));
  const current = doc['current-context'];
  return typeof current === 'string' && current ? { names, current } : { names };
}

/** Thrown by setCurrentContext when the kubeconfig has no context of that name. */
export class MissingContextError extends Error {
  constructor(readonly context: string) {
    super(`the kubeconfig has no context "${context}"`);
    this.name = 'MissingContextError';
  }
}

/** Makes `name` the current context (as `kubectl config use-context` does); everything else stays. Throws MissingContextError when it is not there. */
export function setCurrentContext(text: string, name: string): string {
  const doc = parseDoc(text);
  if (!(doc.contexts ?? []).some((c) => c?.name === name)) throw new MissingContextError(name);
  if (doc['current-context'] === name) return text;
  doc['current-context'] = name;
  return stringify(doc);
}

/**
 * Reads, changes and atomically rewrites the kubeconfig file. An existing file keeps its mode
 * (and a symlink keeps pointing at the file it names, which is the one rewritten); a new one gets 0600.
 */
export async function updateKubeconfigFile(path: string, change: (text: string) => string): Promise<void> {
  const exists = existsSync(path);
  const target = exists ? await realpath(path) : path;
  const text = exists ? await readFile(target, 'utf8') : '';
  const next = change(text);
  if (next === text) return;
  const mode = exists ? (await stat(target)).mode & 0o7777 : 0o600;
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.kubelab-${process.pid}`;
  await writeFile(tmp, next, { mode });
  await chmod(tmp, mode); // writeFile's mode is masked by the umask
  await rename(tmp, target);
}
