import { asFiles, nodeCredentialFiles, pkiFiles } from '../../../certs/cluster-pki.js';
import { PKI_DIR } from '../../../supervisor/contract.js';
import { nodeSpec } from '../../node-spec.js';
import { peersContent, writePeersFile } from '../../wiring.js';
import { required, type Action } from '../action.js';

/**
 * Creates and starts every node (1 control plane + workers), each as soon as it is made; the
 * control plane, the slowest to become ready, goes first. Before its first boot each node is
 * told about all the others, so it routes to every pod range at once, and the control plane
 * gets the cluster's certificates (all but the admin's); every node gets its node agent's.
 */
export const createNodes: Action = {
  title: 'Creating and starting nodes',
  async execute(ctx) {
    const image = required(ctx, 'image');
    const subnet = required(ctx, 'subnet');
    ctx.specs = Array.from({ length: ctx.nodeCount }, (_, i) => nodeSpec(ctx.cluster, i, image, subnet, ctx.apiPort, ctx.settings));
    const peers = peersContent(ctx.specs);
    const pki = required(ctx, 'pki');
    const pkiFilesForNode = asFiles(Object.fromEntries(Object.entries(pkiFiles(pki)).filter(([name]) => !name.startsWith('admin.'))));
    await Promise.all(
      ctx.specs.map(async (s) => {
        await ctx.provider.createNode(s);
        await writePeersFile(ctx.provider, s.name, peers);
        const own = asFiles(nodeCredentialFiles(pki.ca, s));
        await ctx.provider.writeFiles(s.name, PKI_DIR, s.role === 'control-plane' ? { ...pkiFilesForNode, ...own } : own);
        await ctx.provider.startNode(s.name);
      }),
    );
  },
};

