import { apiserverAltNames, createClusterPki, savePki } from '../../../certs/cluster-pki.js';
import { nodeAddressFor } from '../../../network/ipam.js';
import { nodeName } from '../../names.js';
import { required, type Action } from '../action.js';

/** Makes the cluster's CA, the apiserver's serving certificate and the admin's client certificate, kept on the host. */
export const createCertificates: Action = {
  title: 'Creating certificates',
  async execute(ctx) {
    const subnet = required(ctx, 'subnet');
    ctx.pki = createClusterPki(apiserverAltNames(nodeName(ctx.cluster, 0), nodeAddressFor(subnet, 0)));
    await savePki(ctx.pkiDir, ctx.pki);
  },
};
