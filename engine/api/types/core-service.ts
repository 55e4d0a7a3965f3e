// core/v1 Service and Endpoints: the schemas and the resource types.
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { CONDITION, def, f, metadataField } from '../schema.js';
import { formatLabels, rec } from './core-checks.js';
import { defaultEndpoints, defaultService, endpointsErrors, formatEndpoints, serviceErrors, serviceExternalIP, servicePorts } from './core-service-rules.js';

const CORE = 'io.k8s.api.core.v1.';
const PROTOCOL = { enum: ['SCTP', 'TCP', 'UDP'] };
const spec = (o: ApiObject) => rec(o.spec);

/** Service and Endpoints. */
export const CORE_SERVICE: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'Service', resource: 'services', singular: 'service', namespaced: true,
      shortNames: ['svc'], categories: ['all'], schemaName: `${CORE}Service`, subresources: { status: true },
      description: 'A stable name and virtual IP in front of a set of pods, with load-balancing across them.',
      columns: [
        nameColumn,
        column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.', (o) => spec(o).type as string),
        column('Cluster-IP', 'The virtual IP inside the cluster.', (o) => (spec(o).clusterIPs as string[] | undefined)?.[0] ?? '<none>'),
        column('External-IP', 'Addresses outside the cluster the service answers on.', (o) => serviceExternalIP(o, false)),
        column('Port(s)', 'Ports the service exposes, with node ports.', (o) => servicePorts(o)),
        ageColumn,
        column('Selector', 'Labels of the pods the service sends traffic to.', (o) => formatLabels(spec(o).selector), { wide: true }),
      ],
      defaults: defaultService,
      validate: serviceErrors,
    },
    {
      group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', singular: 'endpoints', namespaced: true,
      shortNames: ['ep'], categories: [], schemaName: `${CORE}Endpoints`,
      description: 'The addresses and ports behind a service (legacy form; EndpointSlices replace it).',
      columns: [nameColumn, column('Endpoints', 'The first few address:port pairs.', (o) => formatEndpoints(o)), ageColumn],
      defaults: defaultEndpoints,
      validate: endpointsErrors,
    },
  ],
  definitions: {
    [`${CORE}Service`]: def('A stable name and virtual IP in front of a set of pods, with load-balancing across them.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}ServiceSpec`, 'How the service is exposed and which pods it sends traffic to.'),
      status: f.ref(3, `${CORE}ServiceStatus`, 'What the service is now, e.g. its load balancer.'),
    }),
    [`${CORE}ServiceSpec`]: def('How a service is exposed and which pods it sends traffic to.', {
      ports: f.list(1, 'Ports the service exposes; required except for ExternalName and headless services.', `${CORE}ServicePort`, {
        mergeKey: 'port', listMapKeys: ['port', 'protocol'],
      }),
      selector: f.map(2, 'Labels of the pods that receive the traffic; without it, endpoints are managed by someone else.', 'string', { mapType: 'atomic' }),
      clusterIP: f.str(3, 'The virtual IP, usually assigned by the cluster; "None" makes a headless service.'),
      clusterIPs: f.list(18, 'The virtual IPs, one per IP family; the first equals clusterIP.', 'string', { listType: 'atomic' }),
      type: f.str(4, 'ClusterIP (default), NodePort, LoadBalancer, or ExternalName for a DNS alias.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
      externalIPs: f.list(5, 'Extra addresses, routed to the nodes by others, on which the service also answers.', 'string', { listType: 'atomic' }),
      sessionAffinity: f.str(7, 'ClientIP to keep sending a client to the same pod, or None (default).', { enum: ['ClientIP', 'None'] }),
      loadBalancerIP: f.str(8, 'Requested load balancer address, where the provider supports it (deprecated).'),
      loadBalancerSourceRanges: f.list(9, 'Client address ranges the load balancer accepts, where the provider supports it.', 'string', { listType: 'atomic' }),
      externalName: f.str(10, 'The DNS name an ExternalName service is an alias (CNAME) for.'),
      externalTrafficPolicy: f.str(11, 'Cluster (default) to spread outside traffic over all pods, or Local to keep it on the node it arrived at.', { enum: ['Cluster', 'Local'] }),
      healthCheckNodePort: f.int32(12, 'Node port load balancers probe when externalTrafficPolicy is Local.'),
      publishNotReadyAddresses: f.bool(13, 'Whether endpoints list pods before they are ready.'),
      sessionAffinityConfig: f.ref(14, `${CORE}SessionAffinityConfig`, 'Settings of session affinity.'),
      ipFamilies: f.list(19, 'IP families of the service, IPv4 and/or IPv6, in order.', { type: 'string', description: '', enum: ['IPv4', 'IPv6'] }, { listType: 'atomic' }),
      ipFamilyPolicy: f.str(17, 'SingleStack (default), PreferDualStack or RequireDualStack.', { enum: ['PreferDualStack', 'RequireDualStack', 'SingleStack'] }),
      allocateLoadBalancerNodePorts: f.bool(20, 'Whether a LoadBalancer service gets node ports (default true).', { keepZero: true }),
      loadBalancerClass: f.str(21, 'Which load balancer implementation handles a LoadBalancer service; cannot change once set.'),
      internalTrafficPolicy: f.str(22, 'Cluster (default) to spread in-cluster traffic over all pods, or Local for pods on the same node only.', { enum: ['Cluster', 'Local'] }),
      trafficDistribution: f.str(23, 'A preference for nearby endpoints: PreferClose, PreferSameZone or PreferSameNode.'),
    }),
    [`${CORE}ServicePort`]: def(
      'One port a service exposes.',
      {
        name: f.str(1, 'Name of the port, unique in the service; required when there is more than one port.'),
        protocol: f.str(2, 'TCP (default), UDP or SCTP.', { ...PROTOCOL, default: 'TCP' }),
        appProtocol: f.str(6, 'Application protocol, as a hint to implementations, e.g. http or kubernetes.io/h2c.'),
        port: f.int32(3, 'The port the service listens on.'),
        targetPort: f.intOrString(4, "Port number or name on the pods; defaults to the service's port."),
        nodePort: f.int32(5, 'Port on every node for NodePort and LoadBalancer services, usually assigned by the cluster.'),
      },
      { required: ['port'] },
    ),
    [`${CORE}ServiceStatus`]: def('What a service is now.', {
      loadBalancer: f.ref(1, `${CORE}LoadBalancerStatus`, 'The load balancer, when there is one.'),
      conditions: f.list(2, 'Observations about the service.', CONDITION, { mergeKey: 'type' }),
    }),
    [`${CORE}LoadBalancerStatus`]: def('The state of a load balancer.', {
      ingress: f.list(1, 'Addresses the load balancer receives traffic on.', `${CORE}LoadBalancerIngress`, { listType: 'atomic' }),
    }),
    [`${CORE}LoadBalancerIngress`]: def('One address a load balancer receives traffic on.', {
      ip: f.str(1, 'IP address of the load balancer.'),
      hostname: f.str(2, 'DNS name of the load balancer.'),
      ipMode: f.str(3, 'VIP when traffic arrives for the load balancer address, Proxy when it arrives for the node or pod.', { enum: ['Proxy', 'VIP'] }),
      ports: f.list(4, 'Status of each service port on this address.', `${CORE}PortStatus`, { listType: 'atomic' }),
    }),
    [`${CORE}PortStatus`]: def(
      'Whether a service port works on a load balancer.',
      {
        port: f.int32(1, 'The service port.'),
        protocol: f.str(2, 'Protocol of the service port.', PROTOCOL),
        error: f.str(3, 'What is wrong with the port, as a CamelCase word, optionally prefixed by a domain.'),
      },
      { required: ['port', 'protocol'] },
    ),
    [`${CORE}SessionAffinityConfig`]: def('Settings of session affinity.', {
      clientIP: f.ref(1, `${CORE}ClientIPConfig`, 'Settings of ClientIP affinity.'),
    }),
    [`${CORE}ClientIPConfig`]: def('Settings of ClientIP affinity.', {
      timeoutSeconds: f.int32(1, 'Seconds a client sticks to the same pod: 1 to 86400, default 10800.', { keepZero: true }),
    }),
    [`${CORE}Endpoints`]: def('The addresses and ports behind a service (legacy form; EndpointSlices replace it).', {
      metadata: metadataField(),
      subsets: f.list(2, 'Groups of addresses that share the same ports.', `${CORE}EndpointSubset`, { listType: 'atomic' }),
    }),
    [`${CORE}EndpointSubset`]: def('Addresses that all serve the same ports.', {
      addresses: f.list(1, 'Addresses that are ready for traffic.', `${CORE}EndpointAddress`, { listType: 'atomic' }),
      notReadyAddresses: f.list(2, 'Addresses that are not ready yet, or failed a check.', `${CORE}EndpointAddress`, { listType: 'atomic' }),
      ports: f.list(3, 'Ports open on every address of the subset.', `${CORE}EndpointPort`, { listType: 'atomic' }),
    }),
    [`${CORE}EndpointAddress`]: def(
      'One address behind a service.',
      {
        ip: f.str(1, 'The IP address; not loopback, link-local or link-local multicast.'),
        hostname: f.str(3, 'Host name of the endpoint.'),
        nodeName: f.str(4, 'Node the endpoint runs on.'),
        targetRef: f.ref(2, `${CORE}ObjectReference`, 'The object behind the address, usually a pod.'),
      },
      { required: ['ip'], mapType: 'atomic' },
    ),
    [`${CORE}EndpointPort`]: def(
      'One port open on the addresses of a subset.',
      {
        name: f.str(1, "Name of the port, matching the service port's name; optional when there is only one."),
        port: f.int32(2, 'The port number.'),
        protocol: f.str(3, 'TCP (default), UDP or SCTP.', PROTOCOL),
        appProtocol: f.str(4, 'Application protocol, as a hint to implementations.'),
      },
      { required: ['port'], mapType: 'atomic' },
    ),
  },
};
