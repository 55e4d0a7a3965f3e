import { bridgeAddressFor, dockerFixedCidr } from '../network/ipam.js';
import { CLUSTER_BUNDLE_PATH, DOCKER_SOCKET, DOCKER_TLS_PORT, ETCD_CLIENT_URL, PKI_DIR } from './contract.js';
import type { ProcessSpec } from './process.js';
import { POD_RUNTIME, POD_RUNTIME_PATH } from '../kubelet/pod-runtime.js';

/** This node's identity, from the environment the host gave the container. */
export interface NodeIdentity {
  name: string;
  index: number;
  role: string;
  podCIDR: string;
  /** Whether the host gave this node its TLS pair (nodes made by older versions lack it). */
  dockerTls?: boolean;
}

/**
 * Arguments of the node's nested dockerd: its bridge owns the node's podCIDR, it hands out only the
 * upper half of it (the node agent gives pods the lower half; see kubelet/pod-network.ts), and it
 * never masquerades (kubelab's rules do).
 */
export function dockerdArgs(node: NodeIdentity): string[] {
  return [
    `--host=unix://${DOCKER_SOCKET}`,
    `--bip=${bridgeAddressFor(node.index)}`,
    `--fixed-cidr=${dockerFixedCidr(node.podCIDR)}`,
    '--ip-masq=false',
    '--iptables=true',
    '--storage-driver=overlay2',
    '--data-root=/var/lib/docker',
    '--exec-root=/run/docker',
    '--pidfile=/run/docker.pid',
    // The node agent's pod containers join their pods' pinned namespaces through this runtime.
    `--add-runtime=${POD_RUNTIME}=${POD_RUNTIME_PATH}`,
    // TLS on 2376 for docker-env and for other nodes fetching images: only clients the cluster CA signed.
    ...(node.dockerTls
      ? [`--host=tcp://0.0.0.0:${DOCKER_TLS_PORT}`, '--tlsverify', `--tlscacert=${PKI_DIR}/ca.crt`, `--tlscert=${PKI_DIR}/node-serving.crt`, `--tlskey=${PKI_DIR}/node-serving.key`]
      : []),
  ];
}

/**
 * Arguments of the control plane's etcd: a single member listening on the node's loopback only
 * (the apiserver beside it is its one client), data on the node's /var volume, history
 * compacted after an hour, a 2 GiB quota.
 */
export function etcdArgs(node: NodeIdentity): string[] {
  const peer = 'http://127.0.0.1:2380';
  return [
    `--name=${node.name}`,
    '--data-dir=/var/lib/etcd',
    `--listen-client-urls=${ETCD_CLIENT_URL}`,
    `--advertise-client-urls=${ETCD_CLIENT_URL}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${node.name}=${peer}`,
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=1h',
    '--quota-backend-bytes=2147483648',
    '--snapshot-count=10000',
  ];
}

/** The processes the supervisor keeps running on a node of this role, in start order. */
export function processesFor(node: NodeIdentity): ProcessSpec[] {
  const list: ProcessSpec[] = [];
  if (node.role === 'control-plane') {
    list.push({ name: 'etcd', command: 'etcd', args: etcdArgs(node), logFile: '/var/log/kubelab/etcd.log' });
    list.push({ name: 'apiserver', command: process.execPath, args: [CLUSTER_BUNDLE_PATH, 'apiserver'], logFile: '/var/log/kubelab/apiserver.log' });
    list.push({ name: 'controller-manager', command: process.execPath, args: [CLUSTER_BUNDLE_PATH, 'controller-manager'], logFile: '/var/log/kubelab/controller-manager.log' });
    list.push({ name: 'scheduler', command: process.execPath, args: [CLUSTER_BUNDLE_PATH, 'scheduler'], logFile: '/var/log/kubelab/scheduler.log' });
  }
  list.push({ name: 'dockerd', command: 'dockerd', args: dockerdArgs(node), logFile: '/var/log/kubelab/dockerd.log' });
  list.push({ name: 'node-agent', command: process.execPath, args: [CLUSTER_BUNDLE_PATH, 'node-agent'], logFile: '/var/log/kubelab/node-agent.log' });
  return list;
}
