// networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy, IPAddress and ServiceCIDR.
import { ageColumn, column, nameColumn, type TypeGroup } from '../resource-type.js';
import { CONDITION, def, f, LABEL_SELECTOR, metadataField } from '../schema.js';
import {
  defaultNetworkPolicy, ingressClassErrors, ingressErrors, ingressHosts, ipAddressErrors, loadBalancerAddresses,
  networkPolicyErrors, podSelectorCell, serviceCidrErrors,
} from './networking-rules.js';

const NET = 'io.k8s.api.networking.v1.';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

type Spec<T> = { spec?: T };

/** The networking.k8s.io/v1 kinds. */
/** Where protobuf nests the JSON fields of IngressRule (Go embeds IngressRuleValue at field 2). */
export const NETWORKING_EMBEDDED_PROTO: Record<string, Record<number, Record<string, number>>> = {
  [`${NET}IngressRule`]: { 2: { http: 1 } },
};

export const NETWORKING: TypeGroup = {
  resources: [
    {
      group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', resource: 'ingresses', singular: 'ingress', namespaced: true,
      shortNames: ['ing'], categories: [], schemaName: `${NET}Ingress`, subresources: { status: true },
      description: 'Rules that route outside HTTP(S) traffic by host and path to services, served by an ingress controller.',
      columns: [
        nameColumn,
        column('Class', 'Name of the IngressClass that serves this Ingress.', (o) => (o as Spec<{ ingressClassName?: string }>).spec?.ingressClassName ?? '<none>'),
        column('Hosts', 'Hosts the rules match.', ingressHosts),
        column('Address', 'Addresses of the load balancer serving the Ingress.', loadBalancerAddresses),
        column('Ports', 'Ports the Ingress is served on: 80, and 443 with TLS.', (o) => ((o as Spec<{ tls?: unknown[] }>).spec?.tls?.length ? '80, 443' : '80')),
        ageColumn,
      ],
      validate: ingressErrors,
    },
    {
      group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', resource: 'ingressclasses', singular: 'ingressclass', namespaced: false,
      shortNames: [], categories: [], schemaName: `${NET}IngressClass`,
      description: 'A kind of Ingress: which controller serves Ingresses of this class, with what parameters.',
      columns: [
        nameColumn,
        column('Controller', 'Controller that serves Ingresses of this class.', (o) => (o as Spec<{ controller?: string }>).spec?.controller),
        column('Parameters', 'Object holding the controller parameters.', (o) => {
          const p = (o as Spec<{ parameters?: { apiGroup?: string; kind?: string; name?: string } }>).spec?.parameters;
          return p ? `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
        }),
        ageColumn,
      ],
      defaults(obj) {
        const params = (obj as Spec<{ parameters?: { scope?: string } }>).spec?.parameters;
        if (params && !params.scope) params.scope = 'Cluster';
      },
      validate: ingressClassErrors,
    },
    {
      group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', resource: 'networkpolicies', singular: 'networkpolicy', namespaced: true,
      shortNames: ['netpol'], categories: [], schemaName: `${NET}NetworkPolicy`,
      description: 'Which traffic may reach, and leave, the pods a selector picks.',
      columns: [nameColumn, column('Pod-Selector', 'Pods the policy applies to.', podSelectorCell), ageColumn],
      defaults: defaultNetworkPolicy,
      validate: networkPolicyErrors,
    },
    {
      group: 'networking.k8s.io', version: 'v1', kind: 'IPAddress', resource: 'ipaddresses', singular: 'ipaddress', namespaced: false, nameFormat: 'path-segment',
      shortNames: ['ip'], categories: [], schemaName: `${NET}IPAddress`,
      description: 'One allocated IP address, named by the address itself, and the object it belongs to.',
      columns: [
        nameColumn,
        column('ParentRef', 'Object the address is allocated to.', (o) => {
          const r = (o as Spec<{ parentRef?: { group?: string; resource?: string; namespace?: string; name?: string } }>).spec?.parentRef;
          if (!r) return '<none>';
          const gr = `${r.resource ?? ''}${r.group ? `.${r.group}` : ''}`.toLowerCase();
          return `${gr}${r.namespace ? `/${r.namespace}` : ''}/${r.name ?? ''}`;
        }),
        ageColumn,
      ],
      validate: ipAddressErrors,
    },
    {
      group: 'networking.k8s.io', version: 'v1', kind: 'ServiceCIDR', resource: 'servicecidrs', singular: 'servicecidr', namespaced: false,
      shortNames: [], categories: [], schemaName: `${NET}ServiceCIDR`, subresources: { status: true },
      description: 'A range of addresses services get their cluster IPs from.',
      columns: [nameColumn, column('CIDRs', 'Address ranges of the ServiceCIDR.', (o) => ((o as Spec<{ cidrs?: string[] }>).spec?.cidrs ?? []).join(',')), ageColumn],
      validate: serviceCidrErrors,
    },
  ],
  embeddedProto: NETWORKING_EMBEDDED_PROTO,
  definitions: {
    [`${NET}Ingress`]: def('Rules that route outside HTTP(S) traffic by host and path to services, served by an ingress controller.', {
      metadata: metadataField(),
      spec: f.ref(2, `${NET}IngressSpec`, 'How traffic should be routed.'),
      status: f.ref(3, `${NET}IngressStatus`, 'Where the Ingress is reachable now.'),
    }),
    [`${NET}IngressSpec`]: def('How an Ingress routes traffic.', {
      ingressClassName: f.str(4, 'Name of the IngressClass whose controller serves this Ingress.'),
      defaultBackend: f.ref(1, `${NET}IngressBackend`, 'Where requests that match no rule go.'),
      tls: f.list(2, 'TLS settings: which hosts are served over HTTPS with which certificate secret.', `${NET}IngressTLS`, { listType: 'atomic' }),
      rules: f.list(3, 'Host and path rules, tried in order of specificity.', `${NET}IngressRule`, { listType: 'atomic' }),
    }),
    [`${NET}IngressBackend`]: def('Where matching requests go: a service port, or another object.', {
      service: f.ref(4, `${NET}IngressServiceBackend`, 'A service in the Ingress namespace and one of its ports.'),
      resource: f.ref(3, 'io.k8s.api.core.v1.TypedLocalObjectReference', 'Another object in the Ingress namespace, for controllers that support it; excludes service.'),
    }),
    [`${NET}IngressServiceBackend`]: def(
      'A service and port that receives traffic.',
      {
        name: f.str(1, 'Name of the service, in the same namespace as the Ingress.'),
        port: f.ref(2, `${NET}ServiceBackendPort`, 'The service port, by name or number.'),
      },
      { required: ['name'] },
    ),
    [`${NET}ServiceBackendPort`]: def(
      'A port of a service, by name or by number (not both).',
      {
        name: f.str(1, 'Name of the service port.'),
        number: f.int32(2, 'Number of the service port.'),
      },
      { mapType: 'atomic' },
    ),
    [`${NET}IngressTLS`]: def('Hosts served over HTTPS and the secret holding their certificate.', {
      hosts: f.list(1, 'Hosts the certificate covers; the controller default when empty.', 'string', { listType: 'atomic' }),
      secretName: f.str(2, 'Secret with the certificate and key (type kubernetes.io/tls).'),
    }),
    [`${NET}IngressRule`]: def('Routing for one host (or every host when empty).', {
      host: f.str(1, 'Host name the rule matches, e.g. foo.example.com or *.example.com; no IP addresses or ports.'),
      http: f.ref(0, `${NET}HTTPIngressRuleValue`, 'Path routing for HTTP requests to this host.'),
    }),
    [`${NET}HTTPIngressRuleValue`]: def(
      'Paths of one host and where each goes.',
      { paths: f.list(1, 'Paths and their backends.', `${NET}HTTPIngressPath`, { listType: 'atomic' }) },
      { required: ['paths'] },
    ),
    [`${NET}HTTPIngressPath`]: def('One path and the backend its requests go to.', {
      path: f.str(1, 'Path matched against the request path; must start with "/" for Exact and Prefix.'),
      pathType: f.str(3, 'How path matches: Exact, Prefix (by path elements), or ImplementationSpecific (up to the controller).', { enum: ['Exact', 'ImplementationSpecific', 'Prefix'] }),
      backend: f.ref(2, `${NET}IngressBackend`, 'Where matching requests go.'),
    }),
    [`${NET}IngressStatus`]: def('Where an Ingress is reachable now.', {
      loadBalancer: f.ref(1, `${NET}IngressLoadBalancerStatus`, 'The load balancer serving the Ingress.'),
    }),
    [`${NET}IngressLoadBalancerStatus`]: def('Addresses of the load balancer serving an Ingress.', {
      ingress: f.list(1, 'Entry points of the load balancer.', `${NET}IngressLoadBalancerIngress`, { listType: 'atomic' }),
    }),
    [`${NET}IngressLoadBalancerIngress`]: def('One entry point of a load balancer.', {
      ip: f.str(1, 'IP address of the entry point.'),
      hostname: f.str(2, 'DNS name of the entry point.'),
      ports: f.list(4, 'Ports open on the entry point.', `${NET}IngressPortStatus`, { listType: 'atomic' }),
    }),
    [`${NET}IngressPortStatus`]: def(
      'State of one load-balancer port.',
      {
        port: f.int32(1, 'Port number.'),
        protocol: f.str(2, 'TCP, UDP or SCTP.', { enum: PROTOCOLS }),
        error: f.str(3, 'Problem with the port, as a CamelCase name, optionally domain-prefixed.'),
      },
      { required: ['port', 'protocol'] },
    ),
    [`${NET}IngressClass`]: def('A kind of Ingress: which controller serves Ingresses of this class, with what parameters.', {
      metadata: metadataField(),
      spec: f.ref(2, `${NET}IngressClassSpec`, 'The controller and its parameters.'),
    }),
    [`${NET}IngressClassSpec`]: def('The controller of an IngressClass and its parameters.', {
      controller: f.str(1, 'Domain-prefixed name of the controller, e.g. example.com/ingress-controller. Cannot be changed.'),
      parameters: f.ref(2, `${NET}IngressClassParametersReference`, 'Object with settings for the controller.'),
    }),
    [`${NET}IngressClassParametersReference`]: def(
      'Reference to an object holding controller settings, cluster-wide or in a namespace.',
      {
        apiGroup: f.str(1, 'API group of the object; the core group when empty.'),
        kind: f.str(2, 'Kind of the object.'),
        name: f.str(3, 'Name of the object.'),
        scope: f.str(4, 'Cluster (the default) or Namespace.'),
        namespace: f.str(5, 'Namespace of the object; required with scope Namespace, forbidden with Cluster.'),
      },
      { required: ['kind', 'name'] },
    ),
    [`${NET}NetworkPolicy`]: def('Which traffic may reach, and leave, the pods a selector picks.', {
      metadata: metadataField(),
      spec: f.ref(2, `${NET}NetworkPolicySpec`, 'The pods and the traffic allowed to and from them.'),
    }),
    [`${NET}NetworkPolicySpec`]: def('The pods a NetworkPolicy isolates and the traffic it allows.', {
      podSelector: f.ref(1, LABEL_SELECTOR, 'Pods in the namespace the policy applies to; empty selects every pod.'),
      ingress: f.list(2, 'Incoming traffic allowed; none when empty (if Ingress is a policy type).', `${NET}NetworkPolicyIngressRule`, { listType: 'atomic' }),
      egress: f.list(3, 'Outgoing traffic allowed; none when empty (if Egress is a policy type).', `${NET}NetworkPolicyEgressRule`, { listType: 'atomic' }),
      policyTypes: f.list(4, 'Directions the policy restricts: Ingress, Egress or both; by default Ingress, plus Egress when egress rules exist.', { type: 'string', description: '', enum: ['Egress', 'Ingress'] }, { listType: 'atomic' }),
    }),
    [`${NET}NetworkPolicyIngressRule`]: def('Incoming traffic allowed: from any of the peers, to any of the ports.', {
      ports: f.list(1, 'Destination ports allowed; every port when empty.', `${NET}NetworkPolicyPort`, { listType: 'atomic' }),
      from: f.list(2, 'Sources allowed; every source when empty.', `${NET}NetworkPolicyPeer`, { listType: 'atomic' }),
    }),
    [`${NET}NetworkPolicyEgressRule`]: def('Outgoing traffic allowed: to any of the peers, on any of the ports.', {
      ports: f.list(1, 'Destination ports allowed; every port when empty.', `${NET}NetworkPolicyPort`, { listType: 'atomic' }),
      to: f.list(2, 'Destinations allowed; every destination when empty.', `${NET}NetworkPolicyPeer`, { listType: 'atomic' }),
    }),
    [`${NET}NetworkPolicyPeer`]: def('A set of pods, namespaces or addresses traffic may come from or go to.', {
      podSelector: f.ref(1, LABEL_SELECTOR, 'Pods, in the policy namespace or in the namespaces namespaceSelector picks.'),
      namespaceSelector: f.ref(2, LABEL_SELECTOR, 'Namespaces whose pods (all, or those podSelector picks) are peers.'),
      ipBlock: f.ref(3, `${NET}IPBlock`, 'An address range; cannot be combined with the selectors.'),
    }),
    [`${NET}NetworkPolicyPort`]: def('A port, or a range of ports, on one protocol.', {
      protocol: f.str(1, 'TCP (the default), UDP or SCTP.', { enum: PROTOCOLS }),
      port: f.intOrString(2, 'Port number or named container port; every port when absent.'),
      endPort: f.int32(3, 'Last port of a range starting at port (which must then be a number).'),
    }),
    [`${NET}IPBlock`]: def(
      'An address range, minus some sub-ranges.',
      {
        cidr: f.str(1, 'The range, e.g. 10.0.0.0/8 or 2001:db8::/64.'),
        except: f.list(2, 'Sub-ranges of cidr that are left out.', 'string', { listType: 'atomic' }),
      },
      { required: ['cidr'] },
    ),
    [`${NET}IPAddress`]: def('One allocated IP address, named by the address itself, and the object it belongs to.', {
      metadata: metadataField(),
      spec: f.ref(2, `${NET}IPAddressSpec`, 'The object the address is allocated to.'),
    }),
    [`${NET}IPAddressSpec`]: def('What an IP address is allocated to.', {
      parentRef: f.ref(1, `${NET}ParentReference`, 'The object using the address. Cannot be changed.'),
    }, { required: ['parentRef'] }),
    [`${NET}ParentReference`]: def(
      'Reference to the object an address belongs to.',
      {
        group: f.str(1, 'API group of the object.'),
        resource: f.str(2, 'Resource (plural) of the object.'),
        namespace: f.str(3, 'Namespace of the object.'),
        name: f.str(4, 'Name of the object.'),
      },
      { required: ['resource', 'name'] },
    ),
    [`${NET}ServiceCIDR`]: def('A range of addresses services get their cluster IPs from.', {
      metadata: metadataField(),
      spec: f.ref(2, `${NET}ServiceCIDRSpec`, 'The address ranges.'),
      status: f.ref(3, `${NET}ServiceCIDRStatus`, 'Whether the ranges are in use.'),
    }),
    [`${NET}ServiceCIDRSpec`]: def('Address ranges for cluster IPs.', {
      cidrs: f.list(1, 'One range, or two of different IP families. Can only grow from one to two.', 'string', { listType: 'atomic' }),
    }),
    [`${NET}ServiceCIDRStatus`]: def('State of a ServiceCIDR.', {
      conditions: f.list(1, 'Observations about the ServiceCIDR, e.g. Ready.', CONDITION, { mergeKey: 'type' }),
    }),
  },
};


