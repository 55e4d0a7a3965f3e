// Pods without a sandbox container. A pod's network and IPC namespaces are made and kept by the
// node agent itself, as files on the node (see PodNetwork.pin), the way CRI-O pins them when it
// drops the infra container. Docker cannot put a container into a namespace given by path, so the
// agent's pod containers run under `kubelab-pod`, an OCI runtime that is runc, except that on
// `create` it points the container's network and IPC namespaces at its pod's files. The agent says
// which pod a container belongs to with a marker file named after the container's id, written
// between `docker create` and `docker start`. A starting pod then costs one container start per
// container, not one more for a sandbox: about a third of a pod's CPU on these nodes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Docker's name of the runtime (dockerd's --add-runtime) and the path of its script on the node. */
export const POD_RUNTIME = 'kubelab-pod';
export const POD_RUNTIME_PATH = '/run/kubelab/pod-runtime';

/** Where the agent keeps each pod's pinned namespaces and files that live as long as the node runs. */
export const POD_NAMESPACES_DIR = '/run/kubelab/pods';

/** Pod uids go into shell lines and paths: only the characters of a uid may. */
export function checkUid(uid: string): void {
  if (!/^[A-Za-z0-9-]+$/.test(uid)) throw new Error(`invalid pod uid "${uid}"`);
}

/** The pod's folder of pinned namespaces: `ipc`, `shm` (its /dev/shm), `ip`, `containers/`. */
export function namespaceDir(uid: string): string {
  checkUid(uid);
  return join(POD_NAMESPACES_DIR, uid);
}

/** The address of pod `uid`'s pinned namespaces, when they are all there (the agent writes it last). */
export async function pinnedIp(uid: string): Promise<string | undefined> {
  const text = await readFile(join(namespaceDir(uid), 'ip'), 'utf8').catch(() => '');
  return text.trim() || undefined;
}

/** The name of the pod's network namespace for ip-netns(8) (its file is /run/netns/NAME). */
export function netnsName(uid: string): string {
  return `kl-${uid}`;
}

/** The file of the pod's network namespace. */
export function netnsPath(uid: string): string {
  return `/run/netns/${netnsName(uid)}`;
}

/** The marker that puts container `containerId` into pod `uid`'s namespaces when it is created. */
export function containerMarker(uid: string, containerId: string): string {
  return join(namespaceDir(uid), 'containers', containerId);
}

/**
 * The runtime's script. The shim calls it as it would call runc (`runc [global options] create
 * --bundle DIR ... ID`, then start, kill, delete, exec ...). Only `create` of a marked container
 * is changed; a marked container whose bundle cannot be changed fails to start rather than run
 * outside its pod.
 */
export function podRuntimeScript(dir = POD_NAMESPACES_DIR, runc = 'runc'): string {
  return `#!/bin/sh
# kubelab-pod: runc for the node agent's pod containers (written by the kubelab supervisor).
prev= bundle= create= id=
for a do
  case $prev in --bundle|-b) bundle=$a ;; esac
  [ "$a" = create ] && create=1
  prev=$a id=$a
done
if [ -n "$create" ] && [ -n "$bundle" ]; then
  for m in ${dir}/*/containers/"$id"; do
    [ -e "$m" ] || continue
    d=\${m%/containers/*} u=\${m#${dir}/} u=\${u%%/*}
    sed -i -e "s#{\\"type\\":\\"network\\"}#{\\"type\\":\\"network\\",\\"path\\":\\"/run/netns/kl-$u\\"}#" \\
      -e "s#{\\"type\\":\\"ipc\\"}#{\\"type\\":\\"ipc\\",\\"path\\":\\"$d/ipc\\"}#" "$bundle/config.json"
    if ! grep -q "/run/netns/kl-$u" "$bundle/config.json"; then
      echo "kubelab-pod: cannot place container $id in the namespaces of pod $u" >&2
      exit 1
    fi
  done
fi
exec ${runc} "$@"
`;
}
