// Which columns, order and overview each kind of the resource view uses.
import type { ComponentType } from 'react';
import type { KubeObject } from '../api/types';
import { col, type Column } from '../format/column';
import { CONFIGMAP_COLUMNS } from './configmaps/columns';
import { ConfigMapDetails } from './configmaps/Details';
import { CRONJOB_COLUMNS } from './cronjobs/columns';
import { CRD_COLUMNS } from './customresourcedefinitions/crd-kinds';
import { DAEMONSET_COLUMNS } from './daemonsets/columns';
import { DEPLOYMENT_COLUMNS } from './deployments/columns';
import { WorkloadDetails } from './deployments/Details';
import { EVENT_COLUMNS, sortEvents } from './events/columns';
import { EventDetails } from './events/Details';
import { JOB_COLUMNS } from './jobs/columns';
import { NAMESPACE_COLUMNS } from './namespaces/columns';
import { NODE_COLUMNS } from './nodes/columns';
import { NodeDetails } from './nodes/Details';
import { PV_COLUMNS } from './persistentvolumes/columns';
import { PVC_COLUMNS } from './persistentvolumeclaims/columns';
import { POD_COLUMNS } from './pods/columns';
import { PodDetails } from './pods/Details';
import { REPLICASET_COLUMNS } from './replicasets/columns';
import type { DetailsProps } from './resources/details-props';
import { GenericDetails } from './resources/GenericDetails';
import { SECRET_COLUMNS } from './secrets/columns';
import { SecretDetails } from './secrets/Details';
import { SERVICE_COLUMNS } from './services/columns';
import { ServiceDetails } from './services/Details';
import { STATEFULSET_COLUMNS } from './statefulsets/columns';

/** How the resource view shows one kind. */
export interface KindView {
  columns: readonly Column[];
  /** Row order (default: namespace, then name). */
  sort?(items: readonly KubeObject[]): KubeObject[];
  Details: ComponentType<DetailsProps>;
}

const details = <T extends KubeObject>(c: ComponentType<DetailsProps<T>>) => c as unknown as ComponentType<DetailsProps>;

/** The views by plural. */
export const KIND_VIEWS: Record<string, KindView> = {
  nodes: { columns: NODE_COLUMNS, Details: details(NodeDetails) },
  namespaces: { columns: NAMESPACE_COLUMNS, Details: GenericDetails },
  pods: { columns: POD_COLUMNS, Details: details(PodDetails) },
  deployments: { columns: DEPLOYMENT_COLUMNS, Details: details(WorkloadDetails) },
  replicasets: { columns: REPLICASET_COLUMNS, Details: details(WorkloadDetails) },
  statefulsets: { columns: STATEFULSET_COLUMNS, Details: details(WorkloadDetails) },
  daemonsets: { columns: DAEMONSET_COLUMNS, Details: details(WorkloadDetails) },
  jobs: { columns: JOB_COLUMNS, Details: GenericDetails },
  cronjobs: { columns: CRONJOB_COLUMNS, Details: GenericDetails },
  services: { columns: SERVICE_COLUMNS, Details: details(ServiceDetails) },
  configmaps: { columns: CONFIGMAP_COLUMNS, Details: details(ConfigMapDetails) },
  secrets: { columns: SECRET_COLUMNS, Details: details(SecretDetails) },
  persistentvolumeclaims: { columns: PVC_COLUMNS, Details: GenericDetails },
  persistentvolumes: { columns: PV_COLUMNS, Details: GenericDetails },
  events: { columns: EVENT_COLUMNS, sort: (items) => sortEvents(items), Details: details(EventDetails) },
  customresourcedefinitions: { columns: CRD_COLUMNS.map(col), Details: GenericDetails },
};
