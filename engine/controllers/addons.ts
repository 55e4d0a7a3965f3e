// Cluster add-ons the controller-manager makes sure exist: the cluster DNS (ServiceAccount, its
// role binding, the `kube-dns` Service at 10.96.0.10 and the Deployment running kubelab's DNS
// server) and the default StorageClass `standard` (kubelab.io/local-path). Like kubeadm's add-ons
// they are created once and then belong to the user: a scaled or edited Deployment (or an edited
// StorageClass) is left alone, except that a new kubelab bundle moves the DNS to its new image.
import { ApiRequestError, type RestClient } from '../client/rest-client.js';
import { systemImage } from '../kubelet/builtin-images.js';
import { DNS_SERVICE_IP } from '../apiserver/service-alloc.js';
import { standardStorageClass } from './local-path-plan.js';

const NS = 'kube-system';
const NAME = 'kube-dns';
const LABELS = { 'k8s-app': NAME, 'kubernetes.io/name': 'KubeDNS' };
/** Marks objects kubelab made, so a new bundle may update their image. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubelab' };
/** Ports of the DNS server's probes (see engine/dns). */
export const DNS_HEALTH_PORT = 8080;
export const DNS_READY_PORT = 8181;

/** The DNS add-on's objects, as [collection path, object]. */
export function dnsAddon(image: string): Array<[string, Record<string, unknown>]> {
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: NS, labels: { ...LABELS, ...MANAGED_BY, ...extra } });
  return [
    [`/api/v1/namespaces/${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME) }],
    [
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'system:kube-dns', labels: MANAGED_BY },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kube-dns' },
        subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: NS }],
      },
    ],
    [
      `/api/v1/namespaces/${NS}/services`,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(NAME),
        spec: {
          selector: { 'k8s-app': NAME },
          clusterIP: DNS_SERVICE_IP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          ],
        },
      },
    ],
    [
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(NAME),
        spec: {
          replicas: 1,
          selector: { matchLabels: { 'k8s-app': NAME } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels: { 'k8s-app': NAME } },
            spec: {
              serviceAccountName: NAME,
              // Upstream resolvers come from the node: the DNS server must not ask itself.
              dnsPolicy: 'Default',
              tolerations: [
                { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
                { key: 'CriticalAddonsOnly', operator: 'Exists' },
              ],
              containers: [
                {
                  name: 'dns',
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  args: ['dns'],
                  ports: [
                    { name: 'dns', containerPort: 53, protocol: 'UDP' },
                    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  ],
                  resources: { requests: { cpu: '50m', memory: '40Mi' }, limits: { memory: '120Mi' } },
                  livenessProbe: { httpGet: { path: '/health', port: DNS_HEALTH_PORT }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 5 },
                  readinessProbe: { httpGet: { path: '/ready', port: DNS_READY_PORT }, periodSeconds: 2 },
                  securityContext: { readOnlyRootFilesystem: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
                },
              ],
            },
          },
        },
      },
    ],
  ];
}

const isStatus = (err: unknown, code: number) => err instanceof ApiRequestError && err.code === code;

/** Creates the add-ons that do not exist (DNS, the default `standard` StorageClass); moves kubelab-made Deployments to the current image. */
export async function ensureAddons(client: RestClient, say: (line: string) => void): Promise<void> {
  const image = await systemImage();
  const storage: Array<[string, Record<string, unknown>]> = [['/apis/storage.k8s.io/v1/storageclasses', standardStorageClass()]];
  for (const [path, obj] of [...dnsAddon(image), ...storage]) {
    const name = (obj.metadata as { name: string }).name;
    try {
      await client.create(path, obj);
      say(`add-on ${String(obj.kind)} ${name} created`);
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      if (obj.kind !== 'Deployment') continue;
      const current = await client.get<{ metadata: { labels?: Record<string, string> }; spec: { template: { spec: { containers: { name: string; image: string }[] } } } }>(`${path}/${name}`);
      const container = current.spec.template.spec.containers.find((c) => c.name === 'dns');
      if (current.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'kubelab' || !container || container.image === image) continue;
      await client.patch(`${path}/${name}`, { spec: { template: { spec: { containers: [{ name: 'dns', image }] } } } }, 'strategic');
      say(`add-on Deployment ${name} moved to ${image}`);
    }
  }
}
