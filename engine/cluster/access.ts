import { loadPki } from '../certs/cluster-pki.js';
import type { NodeInfo } from '../docker/provider.js';
import { KubelabError } from '../errors.js';
import { contextName, mergeAccess, MissingContextError, removeAccess, setCurrentContext, updateKubeconfigFile, type ClusterAccess } from '../kubeconfig/kubeconfig.js';
import { APISERVER_PORT } from '../supervisor/contract.js';
import type { ClusterState } from './state.js';

/** How kubectl reaches `cluster` as its admin: the apiserver's published port and the admin certificate. */
export async function clusterAccess(state: ClusterState, cluster: string, nodes: NodeInfo[]): Promise<ClusterAccess> {
  const cp = nodes.find((n) => n.role === 'control-plane');
  const port = cp?.ports.find((p) => p.container === APISERVER_PORT)?.host;
  if (!cp || !port) {
    throw new KubelabError(`cluster "${cluster}" has no reachable API server`, { hint: `start it first: \`kubelab start --name ${cluster}\`` });
  }
  const pki = await loadPki(state.pkiDir(cluster)).catch((err: unknown) => {
    throw new KubelabError(`the certificates of cluster "${cluster}" are missing from ${state.pkiDir(cluster)}`, {
      hint: `the cluster was made elsewhere or its host-side state was removed; recreate it with \`kubelab delete ${cluster}\` and \`kubelab start --name ${cluster}\``,
      cause: err,
    });
  });
  return { name: contextName(cluster), server: `https://127.0.0.1:${port}`, caCert: pki.ca.cert, clientCert: pki.admin.cert, clientKey: pki.admin.key };
}

/** Merges the cluster's context into the user's kubeconfig and (unless makeCurrent is false) makes it current; returns the context name. */
export async function publishAccess(state: ClusterState, cluster: string, nodes: NodeInfo[], kubeconfigFile: string, makeCurrent = true): Promise<string> {
  const access = await clusterAccess(state, cluster, nodes);
  await updateKubeconfigFile(kubeconfigFile, (text) => mergeAccess(text, access, makeCurrent)).catch((err: unknown) => {
    throw new KubelabError(`could not update the kubeconfig ${kubeconfigFile}: ${(err as Error).message}`, { hint: 'fix or move that file, then run `kubelab start` again', cause: err });
  });
  return access.name;
}

/** Removes the cluster's context from the user's kubeconfig (nothing else in it changes). */
export async function withdrawAccess(cluster: string, kubeconfigFile: string): Promise<void> {
  await updateKubeconfigFile(kubeconfigFile, (text) => (text ? removeAccess(text, contextName(cluster)) : text));
}

/** Makes the cluster's context kubectl's current one; throws a clear error (run `kubelab start`) when the kubeconfig lacks it. Returns the context name. */
export async function useAccess(cluster: string, kubeconfigFile: string): Promise<string> {
  const name = contextName(cluster);
  try {
    await updateKubeconfigFile(kubeconfigFile, (text) => setCurrentContext(text, name));
  } catch (err) {
    if (err instanceof MissingContextError) {
      throw new KubelabError(`context "${name}" is not in the kubeconfig ${kubeconfigFile}`, {
        hint: `run \`kubelab start --name ${cluster}\` to write it (it merges the cluster's context into that file)`,
      });
    }
    throw new KubelabError(`could not update the kubeconfig ${kubeconfigFile}: ${(err as Error).message}`, { hint: 'fix or move that file, then try again', cause: err });
  }
  return name;
}
