// What the host side may rely on from a node's supervisor (constants only, no code).

/** Marker file the supervisor writes once the nested runtime answers and the network is wired. */
export const READY_PATH = '/run/kubelab/ready';

/** Line the supervisor prints on its output at that same moment. */
export const READY_LINE = 'node ready';

/** The nested dockerd's socket inside every node. */
export const DOCKER_SOCKET = '/var/run/docker.sock';

/** Where the control plane's etcd answers, inside the control-plane node only. */
export const ETCD_CLIENT_URL = 'http://127.0.0.1:2379';

/** Where the control-plane node keeps the cluster's certificates (written by the host). */
export const PKI_DIR = '/etc/kubelab/pki';

/** Port of the apiserver inside the control-plane node. */
export const APISERVER_PORT = 6443;

/** The cluster-side bundle inside every node. */
export const CLUSTER_BUNDLE_PATH = '/usr/lib/kubelab/cluster.cjs';

/** Port of a node's endpoint for the apiserver (container logs; later exec and port-forward), as a kubelet's. */
export const NODE_ENDPOINT_PORT = 10250;

/** Common name of the client certificate the apiserver presents to node endpoints. */
export const APISERVER_CLIENT_CN = 'kube-apiserver-kubelet-client';

/** Health ports of the controller-manager and the scheduler on the control-plane node (as on kubeadm clusters). */
export const CONTROLLER_MANAGER_PORT = 10257;
export const SCHEDULER_PORT = 10259;

/** Port of every node's nested dockerd with TLS (docker-env, and nodes fetching images from each other). */
export const DOCKER_TLS_PORT = 2376;

/** Port of the control-plane node's TLS tunnel to node ports (the host's forwarder dials it through its published port). */
export const PORT_TUNNEL_PORT = 6444;
