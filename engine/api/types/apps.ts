// apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision.
import { ageColumn, at, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { formatLabels, num, selectorColumn, selectorText, templateColumns, type Selector } from './apps-common.js';
import { APPS_DEFINITIONS } from './apps-defs.js';
import {
  controllerRevisionErrors,
  daemonSetErrors,
  defaultControllerRevision,
  defaultDaemonSet,
  defaultDeployment,
  defaultReplicaSet,
  defaultStatefulSet,
  deploymentErrors,
  replicaSetErrors,
  statefulSetErrors,
} from './apps-rules.js';

const NAME = 'io.k8s.api.apps.v1.';
const base = { group: 'apps', version: 'v1', namespaced: true } as const;
/** Scale subresource paths of the kinds with replicas. */
const scale = { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' };
/** "ready/desired", as kubectl prints Deployments and StatefulSets. */
const readyOfDesired = column('Ready', 'Ready pods out of the desired number.', (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`);

/** The controller owning an object, as "kind.group/name" (kubectl's Controller column). */
function controllerOf(o: ApiObject): string {
  const refs = (o.metadata.ownerReferences as { apiVersion?: string; kind?: string; name?: string; controller?: boolean }[] | undefined) ?? [];
  const ref = refs.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${String(ref.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}/${ref.name ?? ''}`;
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision. */
export const APPS: TypeGroup = {
  resources: [
    {
      ...base, kind: 'Deployment', resource: 'deployments', singular: 'deployment', shortNames: ['deploy'], categories: ['all'],
      schemaName: `${NAME}Deployment`, subresources: { status: true, scale },
      description: 'Keeps a number of identical pods running through ReplicaSets and rolls out changes to them gradually.',
      columns: [
        nameColumn,
        readyOfDesired,
        column('Up-to-date', 'Pods running the current template.', (o) => num(o, 'status.updatedReplicas')),
        column('Available', 'Pods available to users.', (o) => num(o, 'status.availableReplicas')),
        ageColumn,
        ...templateColumns(),
        column('Selector', 'Label query over the pods of the deployment.', (o) => selectorText(at(o, 'spec.selector') as Selector | undefined), { wide: true }),
      ],
      defaults: defaultDeployment,
      validate: deploymentErrors,
    },
    {
      ...base, kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset', shortNames: ['rs'], categories: ['all'],
      schemaName: `${NAME}ReplicaSet`, subresources: { status: true, scale },
      description: 'Keeps a number of pods matching its selector running.',
      columns: [
        nameColumn,
        column('Desired', 'Desired number of pods.', (o) => num(o, 'spec.replicas'), { type: 'integer' }),
        column('Current', 'Pods that exist.', (o) => num(o, 'status.replicas'), { type: 'integer' }),
        column('Ready', 'Pods that are ready.', (o) => num(o, 'status.readyReplicas'), { type: 'integer' }),
        ageColumn,
        ...templateColumns(),
        selectorColumn('spec.selector', 'Label query over the pods of the ReplicaSet.'),
      ],
      defaults: defaultReplicaSet,
      validate: replicaSetErrors,
    },
    {
      ...base, kind: 'StatefulSet', resource: 'statefulsets', singular: 'statefulset', shortNames: ['sts'], categories: ['all'],
      schemaName: `${NAME}StatefulSet`, subresources: { status: true, scale },
      description: 'Runs pods with stable names, network identities and storage, created and replaced in order.',
      columns: [nameColumn, readyOfDesired, ageColumn, ...templateColumns()],
      defaults: defaultStatefulSet,
      validate: statefulSetErrors,
    },
    {
      ...base, kind: 'DaemonSet', resource: 'daemonsets', singular: 'daemonset', shortNames: ['ds'], categories: ['all'],
      schemaName: `${NAME}DaemonSet`, subresources: { status: true },
      description: 'Runs one copy of a pod on every node (or every node its template selects).',
      columns: [
        nameColumn,
        column('Desired', 'Nodes that should run the pod.', (o) => num(o, 'status.desiredNumberScheduled'), { type: 'integer' }),
        column('Current', 'Nodes that run the pod.', (o) => num(o, 'status.currentNumberScheduled'), { type: 'integer' }),
        column('Ready', 'Nodes whose pod is ready.', (o) => num(o, 'status.numberReady'), { type: 'integer' }),
        column('Up-to-date', 'Nodes whose pod runs the current template.', (o) => num(o, 'status.updatedNumberScheduled'), { type: 'integer' }),
        column('Available', 'Nodes whose pod is available.', (o) => num(o, 'status.numberAvailable'), { type: 'integer' }),
        column('Node Selector', 'Node labels the pod template requires.', (o) => formatLabels(at(o, 'spec.template.spec.nodeSelector') as Record<string, string> | undefined)),
        ageColumn,
        ...templateColumns(),
        selectorColumn('spec.selector', 'Label query over the pods of the DaemonSet.'),
      ],
      defaults: defaultDaemonSet,
      validate: daemonSetErrors,
    },
    {
      ...base, kind: 'ControllerRevision', resource: 'controllerrevisions', singular: 'controllerrevision', shortNames: [], categories: [],
      schemaName: `${NAME}ControllerRevision`,
      description: 'A saved, unchangeable snapshot of a StatefulSet or DaemonSet template, used for updates and rollbacks.',
      columns: [
        nameColumn,
        column('Controller', 'The object this revision belongs to.', controllerOf),
        column('Revision', 'Revision number.', (o) => num(o, 'revision')),
        ageColumn,
      ],
      defaults: defaultControllerRevision,
      validate: controllerRevisionErrors,
    },
  ],
  definitions: APPS_DEFINITIONS,
};
