// core/v1 Pod, PodTemplate and Binding: the served kinds, with the definitions of the whole PodSpec
// tree (containers, volumes, status) from the pod-*-defs files.
import type { FieldError } from '../field-error.js';
import { forbiddenValue, notSupported, required } from '../field-error.js';
import { ageColumn, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { CONTAINER_DEFINITIONS } from './pod-container-defs.js';
import { POD_COLUMNS, POD_TEMPLATE_COLUMNS } from './pod-columns.js';
import { POD_EMBEDDED_PROTO } from './pod-embedded.js';
import { defaultPod, defaultPodTemplate } from './pod-defaults.js';
import type { PodSpecJson } from './pod-json.js';
import { podSpecErrors, podTemplateErrors } from './pod-rules.js';
import { POD_SPEC_DEFINITIONS } from './pod-spec-defs.js';
import { POD_STATUS_DEFINITIONS } from './pod-status-defs.js';
import { podUpdateErrors } from './pod-update.js';
import { VOLUME_DEFINITIONS } from './pod-volume-defs.js';

const CORE = 'io.k8s.api.core.v1.';

/** Errors of a Pod: its spec on create, and what an update may change. */
function podErrors(pod: ApiObject, old?: ApiObject): FieldError[] {
  const spec = pod.spec as PodSpecJson | undefined;
  const errs = podSpecErrors('spec', spec, { pod: true });
  if (!old && spec?.ephemeralContainers?.length) errs.push(forbiddenValue('spec.ephemeralContainers', 'cannot be set on create'));
  if (old && errs.length === 0) errs.push(...podUpdateErrors(spec ?? {}, (old.spec ?? {}) as PodSpecJson));
  return errs;
}

/** Pod, PodTemplate and Binding. */
export const CORE_POD: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true,
      shortNames: ['po'], categories: ['all'], schemaName: `${CORE}Pod`, subresources: { status: true },
      description: 'A group of containers that run together on one node, sharing network and volumes.',
      columns: POD_COLUMNS,
      defaults: defaultPod,
      validate: podErrors,
    },
    {
      group: '', version: 'v1', kind: 'PodTemplate', resource: 'podtemplates', singular: 'podtemplate', namespaced: true,
      shortNames: [], categories: [], schemaName: `${CORE}PodTemplate`,
      description: 'A stored pod template, to create pods from.',
      columns: POD_TEMPLATE_COLUMNS,
      defaults(obj) {
        defaultPodTemplate(obj.template as Record<string, unknown> | undefined);
      },
      validate: (obj) => podTemplateErrors('template', obj.template),
    },
    {
      group: '', version: 'v1', kind: 'Binding', resource: 'bindings', singular: 'binding', namespaced: true,
      shortNames: [], categories: [], schemaName: `${CORE}Binding`, verbs: ['create'],
      description: 'Ties one object to another; the scheduler binds a pod to a node with it.',
      columns: [nameColumn, ageColumn],
      validate(obj) {
        const target = (obj.target ?? {}) as { name?: string; kind?: string };
        const errs = target.name ? [] : [required('target.name')];
        if (target.kind && target.kind !== 'Node') errs.push(notSupported('target.kind', target.kind, ['Node', '<empty>']));
        return errs;
      },
    },
  ],
  bodyKinds: [{ apiVersion: 'v1', kind: 'Binding', schemaName: `${CORE}Binding` }],
  embeddedProto: POD_EMBEDDED_PROTO,
  definitions: { ...POD_SPEC_DEFINITIONS, ...CONTAINER_DEFINITIONS, ...VOLUME_DEFINITIONS, ...POD_STATUS_DEFINITIONS },
};
