import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { KubelabError } from '../errors.js';
import { LABEL } from '../docker/labels.js';
import type { Logger } from '../log/logger.js';
import { step, type Progress } from '../log/progress.js';
import { resolveBaseImage } from './base-image.js';
import { buildImage, imageExists } from './build.js';
import { contentHash, listFiles } from './hash.js';

/** The cluster-side bundle the node image carries, relative to the package folder. */
export const CLUSTER_BUNDLE = 'dist/cluster.cjs';

/** Tag of the node image for the current images/node recipe, cluster-side bundle and (if configured) base. */
export async function nodeImageTag(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!existsSync(join(root, CLUSTER_BUNDLE))) {
    throw new KubelabError(`the cluster-side bundle ${CLUSTER_BUNDLE} is missing`, { hint: `run \`npm run build\` in ${root}` });
  }
  const files = [...(await listFiles(root, 'images/node')), CLUSTER_BUNDLE];
  return `kubelab/node:${await contentHash(root, files, [env.KUBELAB_BASE_IMAGE ?? ''])}`;
}

/** Returns the node image tag, building it (and its base) first when the engine does not have it. */
export async function ensureNodeImage(docker: Docker, root: string, progress: Progress, log: Logger): Promise<string> {
  const tag = await nodeImageTag(root);
  if (await imageExists(docker, tag)) {
    log.v(1).info(`node image ${tag} is cached`);
    return tag;
  }
  const base = await resolveBaseImage(docker, root, progress, log);
  log.v(1).info(`building ${tag} from ${base.ref} (${base.source})`);
  const name = 'Building node image';
  await step(progress, name, () =>
    buildImage(
      docker,
      pack(root, { entries: ['images/node', CLUSTER_BUNDLE] }) as unknown as NodeJS.ReadableStream,
      { tag, dockerfile: 'images/node/Dockerfile', buildargs: { BASE: base.ref }, labels: { [LABEL.image]: 'node' } },
      'node image',
      progress,
      name,
    ),
  );
  await pruneOldImages(docker, tag.split(':')[1] ?? '', log);
  return tag;
}

/** Removes node and busybox images of earlier kubelab versions; those a container still uses stay. */
async function pruneOldImages(docker: Docker, keepHash: string, log: Logger): Promise<void> {
  const images = await docker.listImages({ filters: { label: [LABEL.image] } });
  for (const image of images) {
    const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    const kind = image.Labels?.[LABEL.image];
    if (kind !== 'node' && kind !== 'busybox') continue;
    for (const ref of tags.length ? tags : [image.Id]) {
      if (ref.endsWith(`:${keepHash}`) || ref.startsWith('kubelab/base:')) continue;
      try {
        await docker.getImage(ref).remove({ force: false });
        log.v(1).info(`removed old image ${ref}`);
      } catch {
        // still used by a node of an existing cluster: keep it
      }
    }
  }
}

/** Returns the tag of the small busybox test image, building it from the node image's busybox-static when missing. */
export async function ensureBusyboxImage(docker: Docker, root: string, nodeImage: string, progress: Progress): Promise<string> {
  const tag = `kubelab/busybox:${nodeImage.split(':')[1]}`;
  if (await imageExists(docker, tag)) return tag;
  const name = 'Building busybox test image';
  await step(progress, name, () =>
    buildImage(
      docker,
      pack(root, { entries: ['images/busybox'] }) as unknown as NodeJS.ReadableStream,
      { tag, dockerfile: 'images/busybox/Dockerfile', buildargs: { NODE_IMAGE: nodeImage }, labels: { [LABEL.image]: 'busybox' } },
      'busybox image',
      progress,
      name,
    ),
  );
  return tag;
}
