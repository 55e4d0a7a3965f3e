// storage.k8s.io/v1: StorageClass, CSIDriver, CSINode, VolumeAttachment, CSIStorageCapacity and
// VolumeAttributesClass; and core/v1 TopologySelectorTerm, which only StorageClass uses.
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, LABEL_SELECTOR, metadataField } from '../schema.js';
import {
  attributesClassErrors, csiDriverErrors, csiNodeErrors, defaultCsiDriver, defaultStorageClass, isDefaultClass, storageCapacityErrors,
  storageClassErrors, volumeAttachmentErrors,
} from './storage-rules.js';

const ST = 'io.k8s.api.storage.v1.';
const CORE = 'io.k8s.api.core.v1.';

const spec = (o: ApiObject) => (o.spec ?? {}) as Record<string, unknown>;
const flag = (v: unknown, dflt: boolean) => String(typeof v === 'boolean' ? v : dflt);

/** The storage.k8s.io/v1 kinds. */
export const STORAGE: TypeGroup = {
  resources: [
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', resource: 'storageclasses', singular: 'storageclass', namespaced: false,
      shortNames: ['sc'], categories: [], schemaName: `${ST}StorageClass`,
      description: 'A class of storage that PersistentVolumes are provisioned from on demand.',
      columns: [
        { ...nameColumn, cell: (o) => `${o.metadata.name}${isDefaultClass(o) ? ' (default)' : ''}` },
        column('Provisioner', 'Volume plugin that provisions volumes of this class.', (o) => o.provisioner as string),
        column('ReclaimPolicy', 'What happens to provisioned volumes when their claim goes.', (o) => (o.reclaimPolicy as string | undefined) ?? 'Delete'),
        column('VolumeBindingMode', 'When claims are bound and volumes provisioned.', (o) => (o.volumeBindingMode as string | undefined) ?? 'Immediate'),
        column('AllowVolumeExpansion', 'Whether claims of this class may grow.', (o) => flag(o.allowVolumeExpansion, false)),
        ageColumn,
      ],
      defaults: defaultStorageClass,
      validate: storageClassErrors,
    },
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', resource: 'csidrivers', singular: 'csidriver', namespaced: false,
      shortNames: [], categories: [], schemaName: `${ST}CSIDriver`,
      description: 'How Kubernetes works with one installed CSI volume driver.',
      columns: [
        nameColumn,
        column('AttachRequired', 'Whether volumes must be attached before mounting.', (o) => flag(spec(o).attachRequired, true)),
        column('PodInfoOnMount', 'Whether the driver gets pod details on mount.', (o) => flag(spec(o).podInfoOnMount, false)),
        column('StorageCapacity', 'Whether scheduling considers the driver\'s reported capacity.', (o) => flag(spec(o).storageCapacity, false)),
        column('TokenRequests', 'Audiences of service account tokens passed to the driver.', (o) => {
          const t = spec(o).tokenRequests as { audience?: string }[] | undefined;
          return t ? t.map((r) => r.audience ?? '').join(',') : '<unset>';
        }),
        column('RequiresRepublish', 'Whether mounts are refreshed periodically.', (o) => flag(spec(o).requiresRepublish, false)),
        column('Modes', 'Volume lifecycle modes the driver supports.', (o) => ((spec(o).volumeLifecycleModes as string[] | undefined) ?? []).join(',') || '<none>'),
        ageColumn,
      ],
      defaults: defaultCsiDriver,
      validate: csiDriverErrors,
    },
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', resource: 'csinodes', singular: 'csinode', namespaced: false,
      shortNames: [], categories: [], schemaName: `${ST}CSINode`,
      description: 'The CSI drivers installed on one node, named after the node.',
      columns: [nameColumn, column('Drivers', 'Number of CSI drivers on the node.', (o) => ((spec(o).drivers as unknown[] | undefined) ?? []).length, { type: 'integer' }), ageColumn],
      validate: csiNodeErrors,
    },
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', resource: 'volumeattachments', singular: 'volumeattachment', namespaced: false,
      shortNames: [], categories: [], schemaName: `${ST}VolumeAttachment`, subresources: { status: true },
      description: 'A request to attach a volume to a node, and whether it is attached.',
      columns: [
        nameColumn,
        column('Attacher', 'Driver that attaches the volume.', (o) => spec(o).attacher as string | undefined),
        column('PV', 'PersistentVolume being attached.', (o) => (spec(o).source as { persistentVolumeName?: string } | undefined)?.persistentVolumeName),
        column('Node', 'Node the volume is attached to.', (o) => spec(o).nodeName as string | undefined),
        column('Attached', 'Whether the volume is attached.', (o) => flag((o.status as { attached?: boolean } | undefined)?.attached, false)),
        ageColumn,
      ],
      validate: volumeAttachmentErrors,
    },
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'CSIStorageCapacity', resource: 'csistoragecapacities', singular: 'csistoragecapacity', namespaced: true,
      shortNames: [], categories: [], schemaName: `${ST}CSIStorageCapacity`,
      description: 'Storage capacity a CSI driver reports for one class in one part of the cluster.',
      columns: [
        nameColumn,
        column('StorageClassName', 'Class the capacity is for.', (o) => o.storageClassName as string | undefined),
        column('Capacity', 'Capacity available.', (o) => (o.capacity === undefined ? '<unset>' : String(o.capacity))),
        ageColumn,
      ],
      validate: storageCapacityErrors,
    },
    {
      group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttributesClass', resource: 'volumeattributesclasses', singular: 'volumeattributesclass', namespaced: false,
      shortNames: ['vac'], categories: [], schemaName: `${ST}VolumeAttributesClass`,
      description: 'A set of changeable volume attributes a CSI driver applies to the claims that ask for it.',
      columns: [nameColumn, column('DriverName', 'CSI driver that applies the attributes.', (o) => o.driverName as string | undefined), ageColumn],
      validate: attributesClassErrors,
    },
  ],
  definitions: {
    [`${ST}StorageClass`]: def(
      'A class of storage that PersistentVolumes are provisioned from on demand.',
      {
        metadata: metadataField(),
        provisioner: f.str(2, 'Volume plugin that provisions volumes of this class, e.g. a CSI driver name. Cannot be changed.'),
        parameters: f.map(3, 'Settings passed to the provisioner. Cannot be changed.', 'string'),
        reclaimPolicy: f.str(4, 'What happens to provisioned volumes when their claim is deleted: Delete (the default) or Retain. Cannot be changed.', { enum: ['Delete', 'Recycle', 'Retain'] }),
        mountOptions: f.list(5, 'Mount options for provisioned volumes, e.g. ro or soft; not checked.', 'string', { listType: 'atomic' }),
        allowVolumeExpansion: f.bool(6, 'Whether claims of this class may be resized larger.', { keepZero: true }),
        volumeBindingMode: f.str(7, 'When volumes are provisioned and bound: Immediate (the default) or WaitForFirstConsumer (once a pod uses the claim).', { enum: ['Immediate', 'WaitForFirstConsumer'] }),
        allowedTopologies: f.list(8, 'Where volumes may be provisioned; anywhere when empty.', `${CORE}TopologySelectorTerm`, { listType: 'atomic' }),
      },
      { required: ['provisioner'] },
    ),
    [`${CORE}TopologySelectorTerm`]: def(
      'A topology domain, as conditions on node labels that must all hold.',
      { matchLabelExpressions: f.list(1, 'Conditions on topology labels.', `${CORE}TopologySelectorLabelRequirement`, { listType: 'atomic' }) },
      { mapType: 'atomic' },
    ),
    [`${CORE}TopologySelectorLabelRequirement`]: def(
      'A topology label that must have one of some values.',
      {
        key: f.str(1, 'The label key.'),
        values: f.list(2, 'Values the label may have.', 'string', { listType: 'atomic' }),
      },
    ),
    [`${ST}CSIDriver`]: def(
      'How Kubernetes works with one installed CSI volume driver, named like the driver.',
      { metadata: metadataField(), spec: f.ref(2, `${ST}CSIDriverSpec`, 'What the driver needs and supports.') },
    ),
    [`${ST}CSIDriverSpec`]: def('What a CSI driver needs from Kubernetes and what it supports.', {
      attachRequired: f.bool(1, 'Whether volumes must be attached (through VolumeAttachments) before mounting; true by default. Cannot be changed.', { keepZero: true }),
      podInfoOnMount: f.bool(2, 'Whether the kubelet passes pod name, namespace and UID to the driver on mount; false by default.', { keepZero: true }),
      volumeLifecycleModes: f.list(3, 'Kinds of volumes the driver serves: Persistent (the default) and/or Ephemeral inline volumes. Cannot be changed.', { type: 'string', description: '', enum: ['Ephemeral', 'Persistent'] }, { listType: 'set' }),
      storageCapacity: f.bool(4, 'Whether scheduling takes the capacity the driver reports (CSIStorageCapacity) into account.', { keepZero: true }),
      fsGroupPolicy: f.str(5, 'Whether the kubelet may change volume ownership to the pod fsGroup: ReadWriteOnceWithFSType (the default), File or None.', { enum: ['File', 'None', 'ReadWriteOnceWithFSType'] }),
      tokenRequests: f.list(6, 'Service account tokens the kubelet passes to the driver on mount, one per audience.', `${ST}TokenRequest`, { listType: 'atomic' }),
      requiresRepublish: f.bool(7, 'Whether the kubelet calls the driver again periodically to refresh mounted volumes.', { keepZero: true }),
      seLinuxMount: f.bool(8, 'Whether the driver can mount each volume with its own SELinux context option.', { keepZero: true }),
      nodeAllocatableUpdatePeriodSeconds: f.int64(9, 'How often, in seconds (10 or more), the kubelet refreshes the CSINode volume limit of the driver.', { keepZero: true }),
    }),
    [`${ST}TokenRequest`]: def(
      'A service account token a CSI driver wants.',
      {
        audience: f.str(1, 'Audience of the token; the apiserver audiences when empty.'),
        expirationSeconds: f.int64(2, 'Lifetime of the token in seconds.', { keepZero: true }),
      },
    ),
    [`${ST}CSINode`]: def(
      'The CSI drivers installed on one node, named after the node.',
      { metadata: metadataField(), spec: f.ref(2, `${ST}CSINodeSpec`, 'The drivers on the node.') },
    ),
    [`${ST}CSINodeSpec`]: def(
      'The CSI drivers of a node.',
      { drivers: f.list(1, 'One entry per installed driver.', `${ST}CSINodeDriver`, { mergeKey: 'name' }) },
    ),
    [`${ST}CSINodeDriver`]: def(
      'One CSI driver on a node.',
      {
        name: f.str(1, 'Name of the driver.'),
        nodeID: f.str(2, 'Name the storage system knows the node by.'),
        topologyKeys: f.list(3, 'Node label keys the driver uses for topology.', 'string', { listType: 'atomic' }),
        allocatable: f.ref(4, `${ST}VolumeNodeResources`, 'Volume limits of the driver on the node.'),
      },
      { required: ['name', 'nodeID'] },
    ),
    [`${ST}VolumeNodeResources`]: def('Volume limits of a driver on a node.', {
      count: f.int32(1, 'Most volumes of the driver the node can use at once; unlimited when absent.', { keepZero: true }),
    }),
    [`${ST}VolumeAttachment`]: def(
      'A request to attach a volume to a node, and whether it is attached.',
      {
        metadata: metadataField(),
        spec: f.ref(2, `${ST}VolumeAttachmentSpec`, 'Which volume to attach to which node. Cannot be changed.'),
        status: f.ref(3, `${ST}VolumeAttachmentStatus`, 'Outcome of attaching and detaching, set by the attacher.'),
      },
    ),
    [`${ST}VolumeAttachmentSpec`]: def(
      'Which volume to attach to which node, by which driver.',
      {
        attacher: f.str(1, 'Name of the driver that attaches the volume.'),
        source: f.ref(2, `${ST}VolumeAttachmentSource`, 'The volume.'),
        nodeName: f.str(3, 'The node.'),
      },
      { required: ['attacher', 'nodeName'] },
    ),
    [`${ST}VolumeAttachmentSource`]: def('The volume to attach: a PersistentVolume by name, or an inline volume spec (exactly one).', {
      persistentVolumeName: f.str(1, 'Name of the PersistentVolume.'),
      inlineVolumeSpec: f.ref(2, `${CORE}PersistentVolumeSpec`, 'A pod inline volume translated to a PersistentVolume spec (CSI migration).'),
    }),
    [`${ST}VolumeAttachmentStatus`]: def(
      'Outcome of attaching and detaching a volume.',
      {
        attached: f.bool(1, 'Whether the volume is attached.'),
        attachmentMetadata: f.map(2, 'Details from the attach step, passed on to mounting.', 'string'),
        attachError: f.ref(3, `${ST}VolumeError`, 'Last attach error.'),
        detachError: f.ref(4, `${ST}VolumeError`, 'Last detach error.'),
      },
    ),
    [`${ST}VolumeError`]: def('An error of a volume operation.', {
      time: f.time(1, 'When the error happened.'),
      message: f.str(2, 'What went wrong; logged, so without secrets.'),
      errorCode: f.int32(3, 'Numeric gRPC code of the error.', { keepZero: true }),
    }),
    [`${ST}CSIStorageCapacity`]: def(
      'Storage capacity a CSI driver reports for one class in one part of the cluster.',
      {
        metadata: metadataField(),
        nodeTopology: f.ref(2, LABEL_SELECTOR, 'Nodes that can reach the storage; none when absent, every node when empty. Cannot be changed.'),
        storageClassName: f.str(3, 'StorageClass the capacity is for. Cannot be changed.'),
        capacity: f.quantity(4, 'Capacity available for new volumes; unknown when absent.'),
        maximumVolumeSize: f.quantity(5, 'Largest volume that can be created.'),
      },
      { required: ['storageClassName'] },
    ),
    [`${ST}VolumeAttributesClass`]: def(
      'A set of changeable volume attributes a CSI driver applies to the claims that ask for it.',
      {
        metadata: metadataField(),
        driverName: f.str(2, 'CSI driver that applies the attributes. Cannot be changed.'),
        parameters: f.map(3, 'Attributes passed to the driver as they are; at least one. Cannot be changed.', 'string'),
      },
      { required: ['driverName'] },
    ),
  },
};
