// core/v1 PersistentVolume and PersistentVolumeClaim: schemas and resource types.
import { ageColumn, column, nameColumn, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField, type FieldSchema } from '../schema.js';
import { PV_SOURCE_DEFINITIONS, PV_SOURCES } from './core-pv-sources.js';
import { accessModes, claimClass, defaultPV, defaultPVC, pvcErrors, pvErrors, volumeClass, type Obj } from './core-storage-rules.js';
import { canonicalQuantity } from './core-quantity.js';
import { rec } from './core-checks.js';

const CORE = 'io.k8s.api.core.v1.';
const ACCESS_MODE: FieldSchema = { type: 'string', description: '', enum: ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] };
const VOLUME_MODE = { enum: ['Block', 'Filesystem'] };
const spec = (o: Obj) => rec(o.spec);
const status = (o: Obj) => rec(o.status);
const phase = (o: Obj) => (o.metadata.deletionTimestamp ? 'Terminating' : String(status(o).phase ?? ''));
const vac = (o: Obj) => (spec(o).volumeAttributesClassName === undefined ? '<unset>' : String(spec(o).volumeAttributesClassName));
const volumeMode = (o: Obj) => String(spec(o).volumeMode ?? '<unset>');

/** The source fields of a PV spec. They sit inline in JSON; upstream's protobuf nests them in one message, which the schema cannot express, so they carry no field numbers. */
const sourceFields = Object.fromEntries(Object.entries(PV_SOURCES).map(([name, [schema, description]]) => [name, f.ref(0, schema, description)]));

/** PersistentVolume and PersistentVolumeClaim. */
export const CORE_STORAGE: TypeGroup = {
  // Protobuf nests a PV's source (PersistentVolumeSource, field 2 of the spec); JSON flattens it.
  embeddedProto: {
    [`${CORE}PersistentVolumeSpec`]: {
      2: {
        gcePersistentDisk: 1, awsElasticBlockStore: 2, hostPath: 3, glusterfs: 4, nfs: 5, rbd: 6, iscsi: 7, cinder: 8, cephfs: 9, fc: 10, flocker: 11,
        flexVolume: 12, azureFile: 13, vsphereVolume: 14, quobyte: 15, azureDisk: 16, photonPersistentDisk: 17, portworxVolume: 18, scaleIO: 19, local: 20,
        storageos: 21, csi: 22,
      },
    },
  },
  resources: [
    {
      group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', singular: 'persistentvolume', namespaced: false,
      shortNames: ['pv'], categories: [], schemaName: `${CORE}PersistentVolume`, subresources: { status: true },
      description: 'A piece of storage in the cluster, provisioned by an administrator or dynamically, that claims bind to.',
      columns: [
        nameColumn,
        column('Capacity', 'Size of the volume.', (o) => canonicalQuantity(rec(spec(o).capacity).storage ?? 0)),
        column('Access Modes', 'How the volume can be mounted: RWO, ROX, RWX, RWOP.', (o) => accessModes(spec(o).accessModes)),
        column('Reclaim Policy', 'What happens to the volume when its claim is deleted.', (o) => String(spec(o).persistentVolumeReclaimPolicy ?? '')),
        column('Status', 'Available, Bound, Released, Failed or Pending.', phase),
        column('Claim', 'The claim bound to the volume, as namespace/name.', (o) => (spec(o).claimRef ? `${rec(spec(o).claimRef).namespace ?? ''}/${rec(spec(o).claimRef).name ?? ''}` : '')),
        column('StorageClass', 'Storage class of the volume.', volumeClass),
        column('VolumeAttributesClass', 'Volume attributes class of the volume.', vac),
        column('Reason', 'Why the volume is in its state, for failures.', (o) => String(status(o).reason ?? '')),
        ageColumn,
        column('VolumeMode', 'Filesystem or Block.', volumeMode, { wide: true }),
      ],
      defaults: defaultPV,
      validate: pvErrors,
    },
    {
      group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true,
      shortNames: ['pvc'], categories: [], schemaName: `${CORE}PersistentVolumeClaim`, subresources: { status: true },
      description: 'A request for storage of a size and access mode, bound to a PersistentVolume that satisfies it.',
      columns: [
        nameColumn,
        column('Status', 'Pending, Bound or Lost.', phase),
        column('Volume', 'The volume bound to the claim.', (o) => String(spec(o).volumeName ?? '')),
        column('Capacity', 'Size of the bound volume.', (o) => (spec(o).volumeName ? canonicalQuantity(rec(status(o).capacity).storage ?? 0) : '')),
        column('Access Modes', 'How the bound volume can be mounted.', (o) => (spec(o).volumeName ? accessModes(status(o).accessModes) : '')),
        column('StorageClass', 'Storage class the claim asks for.', claimClass),
        column('VolumeAttributesClass', 'Volume attributes class the claim asks for.', vac),
        ageColumn,
        column('VolumeMode', 'Filesystem or Block.', volumeMode, { wide: true }),
      ],
      defaults: defaultPVC,
      validate: pvcErrors,
    },
  ],
  definitions: {
    ...PV_SOURCE_DEFINITIONS,
    [`${CORE}PersistentVolume`]: def('A piece of storage in the cluster, provisioned by an administrator or dynamically, that claims bind to.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}PersistentVolumeSpec`, 'The storage: its size, access modes, source and policies.'),
      status: f.ref(3, `${CORE}PersistentVolumeStatus`, 'Whether the volume is available, bound or released.'),
    }),
    [`${CORE}PersistentVolumeSpec`]: def('The storage of a PersistentVolume: exactly one source, plus size, access modes and policies.', {
      capacity: f.map(1, 'Size of the volume, as storage.', 'quantity'),
      ...sourceFields,
      accessModes: f.list(3, 'How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.', ACCESS_MODE, { listType: 'atomic' }),
      claimRef: f.ref(4, `${CORE}ObjectReference`, 'The claim the volume is bound (or reserved) to.', { mapType: 'granular' }),
      persistentVolumeReclaimPolicy: f.str(5, 'What happens when the claim is deleted: Retain (default for manual volumes), Delete, or Recycle (deprecated).', {
        enum: ['Delete', 'Recycle', 'Retain'],
      }),
      storageClassName: f.str(6, 'Storage class the volume belongs to; empty for none.'),
      mountOptions: f.list(7, 'Mount options, e.g. ro or soft; not validated.', 'string', { listType: 'atomic' }),
      volumeMode: f.str(8, 'Filesystem (default) or Block for a raw device.', VOLUME_MODE),
      nodeAffinity: f.ref(9, `${CORE}VolumeNodeAffinity`, 'Nodes the volume can be used from.'),
      volumeAttributesClassName: f.str(10, 'Volume attributes class of the volume; may not be empty when set.'),
    }),
    [`${CORE}VolumeNodeAffinity`]: def('Nodes a volume can be used from.', {
      required: f.ref(1, `${CORE}NodeSelector`, 'Node conditions that must hold.'),
    }),
    [`${CORE}PersistentVolumeStatus`]: def('Whether a volume is available, bound or released.', {
      phase: f.str(1, 'Pending, Available, Bound, Released or Failed.', { enum: ['Available', 'Bound', 'Failed', 'Pending', 'Released'] }),
      message: f.str(2, 'Why the volume is in this phase, for people.'),
      reason: f.str(3, 'Why the volume is in this phase, in one CamelCase word.'),
      lastPhaseTransitionTime: f.time(4, 'When the phase last changed.'),
    }),
    [`${CORE}PersistentVolumeClaim`]: def('A request for storage of a size and access mode, bound to a PersistentVolume that satisfies it.', {
      metadata: metadataField(),
      spec: f.ref(2, `${CORE}PersistentVolumeClaimSpec`, 'The storage asked for.'),
      status: f.ref(3, `${CORE}PersistentVolumeClaimStatus`, 'Whether the claim is bound, and the volume it got.'),
    }),
    [`${CORE}PersistentVolumeClaimStatus`]: def('Whether a claim is bound, and the volume it got.', {
      phase: f.str(1, 'Pending, Bound or Lost.', { enum: ['Bound', 'Lost', 'Pending'] }),
      accessModes: f.list(2, 'Access modes of the bound volume.', ACCESS_MODE, { listType: 'atomic' }),
      capacity: f.map(3, 'Size of the bound volume.', 'quantity'),
      conditions: f.list(4, 'Observations, e.g. that the volume is being resized.', `${CORE}PersistentVolumeClaimCondition`, { mergeKey: 'type' }),
      allocatedResources: f.map(5, 'Resources allocated to the claim, which may exceed capacity while it is being expanded.', 'quantity'),
      allocatedResourceStatuses: f.map(7, 'Progress of resizes by resource, e.g. ControllerResizeInProgress.', 'string', { mapType: 'granular' }),
      currentVolumeAttributesClassName: f.str(8, 'Volume attributes class the volume has now.'),
      modifyVolumeStatus: f.ref(9, `${CORE}ModifyVolumeStatus`, 'Progress of a change of volume attributes class.'),
    }),
    [`${CORE}PersistentVolumeClaimCondition`]: def('One observation about a claim.', {
      type: f.str(1, 'What the condition is about, e.g. Resizing.'),
      status: f.str(2, 'True, False or Unknown.'),
      lastProbeTime: f.time(3, 'When the condition was last checked.'),
      lastTransitionTime: f.time(4, 'When status last changed.'),
      reason: f.str(5, 'Why, in one CamelCase word.'),
      message: f.str(6, 'Why, for people.'),
    }),
    [`${CORE}ModifyVolumeStatus`]: def(
      'Progress of a change of volume attributes class.',
      {
        targetVolumeAttributesClassName: f.str(1, 'The class being applied.'),
        status: f.str(2, 'Pending, InProgress or Infeasible.', { enum: ['InProgress', 'Infeasible', 'Pending'] }),
      },
      { required: ['status'] },
    ),
  },
};
