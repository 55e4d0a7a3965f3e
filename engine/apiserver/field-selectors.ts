// The field labels each kind can be selected by (`--field-selector`), besides metadata.name and
// metadata.namespace which every kind takes; as upstream's per-kind field label conversions.

const COMMON = ['metadata.name', 'metadata.namespace'];

const BY_KIND: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: [
    'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
    'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'type',
  ],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  Secret: ['type'],
  ReplicationController: ['status.replicas'],
  Job: ['status.successful'],
};

/** The field labels a field selector may use on objects of `kind` (only the common ones when unknown). */
export function fieldLabels(kind?: string): string[] {
  return [...COMMON, ...((kind && BY_KIND[kind]) || [])];
}

