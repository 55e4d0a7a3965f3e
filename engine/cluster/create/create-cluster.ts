import { errorMessage, isEngineUnreachable, KubelabError } from '../../errors.js';
import { step } from '../../log/progress.js';
import type { ClusterState } from '../state.js';
import { runActions, type Action, type CreateContext } from './action.js';
import { createCertificates } from './actions/create-certificates.js';
import { createNetwork } from './actions/create-network.js';
import { createNodes } from './actions/create-nodes.js';
import { ensureImage } from './actions/ensure-image.js';
import { waitNodesReady } from './actions/wait-ready.js';

/** The creation pipeline, in order. */
export const CREATE_ACTIONS: Action[] = [ensureImage, createNetwork, createCertificates, createNodes, waitNodesReady];

/**
 * Creates a cluster by running the pipeline. On failure the half-made cluster is removed (unless
 * `retain`); if the engine itself went away, the creation marker stays so the next kubelab
 * command removes the parts once the engine is back.
 */
export async function createCluster(ctx: CreateContext, state: ClusterState, retain: boolean): Promise<void> {
  await state.markCreating(ctx.cluster);
  try {
    await runActions(CREATE_ACTIONS, ctx);
    await state.clearCreating(ctx.cluster);
  } catch (err) {
    if (retain) {
      await state.clearCreating(ctx.cluster);
      throw new KubelabError(`failed to create cluster "${ctx.cluster}": ${errorMessage(err)}`, {
        cause: err,
        details: (err as KubelabError).details,
        exitCode: (err as KubelabError).exitCode,
        hint: `its parts were kept (--retain): inspect them with \`kubelab status ${ctx.cluster}\`, remove them with \`kubelab delete ${ctx.cluster}\``,
      });
    }
    if (isEngineUnreachable(err)) {
      throw new KubelabError(`the Docker engine stopped answering while creating cluster "${ctx.cluster}"`, {
        cause: err,
        hint: `once the engine is back, the next kubelab command removes what was made (or run \`kubelab delete ${ctx.cluster}\`)`,
      });
    }
    await step(ctx.progress, 'Removing the half-made cluster', async () => {
      await ctx.provider.deleteCluster(ctx.cluster);
      await state.remove(ctx.cluster);
    }).catch(() => undefined); // the failure is shown as a failed step; the create's own error follows
    throw new KubelabError(`failed to create cluster "${ctx.cluster}": ${errorMessage(err)}`, {
      cause: err,
      details: (err as KubelabError).details,
      hint: (err as KubelabError).hint,
      exitCode: (err as KubelabError).exitCode,
    });
  }
}
