/** Chain in `filter` that lets pod traffic be forwarded between nodes. */
export const FORWARD_CHAIN = 'KUBELAB-FORWARD';
/** Chain in `nat` that masquerades only what leaves the cluster CIDR. */
export const MASQ_CHAIN = 'KUBELAB-POSTROUTING';

/**
 * iptables-restore input (for `--noflush`) that (re)fills kubelab's own chains on a node:
 * traffic to or from the cluster CIDR is forwarded; traffic from this node's pods keeps its source
 * address inside the cluster CIDR and is masqueraded only when it leaves it.
 */
export function nodeRules(opts: { podCIDR: string; clusterCIDR: string; bridge: string }): string {
  const { podCIDR, clusterCIDR, bridge } = opts;
  return [
    '*filter',
    `:${FORWARD_CHAIN} - [0:0]`,
    `-A ${FORWARD_CHAIN} -s ${clusterCIDR} -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -d ${clusterCIDR} -j ACCEPT`,
    'COMMIT',
    '*nat',
    `:${MASQ_CHAIN} - [0:0]`,
    `-A ${MASQ_CHAIN} -s ${podCIDR} -d ${clusterCIDR} -j RETURN`,
    `-A ${MASQ_CHAIN} -s ${podCIDR} ! -o ${bridge} -j MASQUERADE`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The jumps from built-in chains into kubelab's chains, as [table, chain, ...rule]. */
export const JUMPS: Array<[string, string, ...string[]]> = [
  ['filter', 'FORWARD', '-j', FORWARD_CHAIN],
  ['nat', 'POSTROUTING', '-j', MASQ_CHAIN],
];
