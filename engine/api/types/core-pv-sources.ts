// The volume sources only PersistentVolumes use (pods use their own variants, defined with the pod
// types). The sources PVs share with pods are referenced from the PV spec by name.
import { def, f, type Definitions } from '../schema.js';

const CORE = 'io.k8s.api.core.v1.';
const SECRET_REF = `${CORE}SecretReference`;
const fsType = (n: number) => f.str(n, 'Filesystem to mount, e.g. ext4 or xfs.');
const readOnly = (n: number) => f.bool(n, 'Whether to mount the volume read-only.');

/** PV-only volume sources and the SecretReference they use. */
export const PV_SOURCE_DEFINITIONS: Definitions = {
  [SECRET_REF]: def(
    'A reference to a Secret in any namespace.',
    {
      name: f.str(1, 'Name of the Secret.'),
      namespace: f.str(2, 'Namespace of the Secret.'),
    },
    { mapType: 'atomic' },
  ),
  [`${CORE}CSIPersistentVolumeSource`]: def(
    'A volume managed by an external CSI driver.',
    {
      driver: f.str(1, 'Name of the CSI driver.'),
      volumeHandle: f.str(2, 'ID the driver gave the volume when it created it.'),
      readOnly: readOnly(3),
      fsType: fsType(4),
      volumeAttributes: f.map(5, 'Driver-specific attributes of the volume.', 'string'),
      controllerPublishSecretRef: f.ref(6, SECRET_REF, 'Secret passed to the driver when attaching and detaching.'),
      nodeStageSecretRef: f.ref(7, SECRET_REF, 'Secret passed to the driver when staging and unstaging on a node.'),
      nodePublishSecretRef: f.ref(8, SECRET_REF, 'Secret passed to the driver when mounting and unmounting.'),
      controllerExpandSecretRef: f.ref(9, SECRET_REF, 'Secret passed to the driver when expanding the volume.'),
      nodeExpandSecretRef: f.ref(10, SECRET_REF, 'Secret passed to the driver when expanding the volume on a node.'),
    },
    { required: ['driver', 'volumeHandle'] },
  ),
  [`${CORE}LocalVolumeSource`]: def(
    'A disk, partition or directory attached to one node; needs node affinity.',
    {
      path: f.str(1, 'Full path of the directory or block device on the node.'),
      fsType: f.str(2, 'Filesystem to mount when path is a block device; chosen automatically when empty.'),
    },
    { required: ['path'] },
  ),
  [`${CORE}ISCSIPersistentVolumeSource`]: def(
    'An iSCSI disk.',
    {
      targetPortal: f.str(1, 'Target portal: an IP, or IP:port when the port is not the default.'),
      iqn: f.str(2, 'iSCSI qualified name of the target.'),
      lun: f.int32(3, 'Logical unit number of the target.'),
      iscsiInterface: f.str(4, 'iSCSI transport interface; default "default" (TCP).'),
      fsType: fsType(5),
      readOnly: readOnly(6),
      portals: f.list(7, 'More target portals.', 'string', { listType: 'atomic' }),
      chapAuthDiscovery: f.bool(8, 'Whether to use CHAP authentication for discovery.'),
      chapAuthSession: f.bool(11, 'Whether to use CHAP authentication for sessions.'),
      secretRef: f.ref(10, SECRET_REF, 'Secret with the CHAP credentials.'),
      initiatorName: f.str(12, 'Custom initiator name.'),
    },
    { required: ['targetPortal', 'iqn'] },
  ),
  [`${CORE}RBDPersistentVolumeSource`]: def(
    'A Ceph RADOS block device (no longer supported in-tree).',
    {
      monitors: f.list(1, 'Ceph monitors.', 'string', { listType: 'atomic' }),
      image: f.str(2, 'RADOS image name.'),
      fsType: fsType(3),
      pool: f.str(4, 'RADOS pool; default rbd.'),
      user: f.str(5, 'RADOS user; default admin.'),
      keyring: f.str(6, 'Path of the keyring; default /etc/ceph/keyring.'),
      secretRef: f.ref(7, SECRET_REF, 'Secret with the user key; overrides keyring.'),
      readOnly: readOnly(8),
    },
    { required: ['monitors', 'image'] },
  ),
  [`${CORE}CephFSPersistentVolumeSource`]: def(
    'A CephFS mount (no longer supported in-tree).',
    {
      monitors: f.list(1, 'Ceph monitors.', 'string', { listType: 'atomic' }),
      path: f.str(2, 'Path in the filesystem to mount; default /.'),
      user: f.str(3, 'RADOS user; default admin.'),
      secretFile: f.str(4, 'Path of the key ring for the user; default /etc/ceph/user.secret.'),
      secretRef: f.ref(5, SECRET_REF, 'Secret with the user key.'),
      readOnly: readOnly(6),
    },
    { required: ['monitors'] },
  ),
  [`${CORE}CinderPersistentVolumeSource`]: def(
    'An OpenStack Cinder volume (handled by the Cinder CSI driver).',
    {
      volumeID: f.str(1, 'ID of the Cinder volume.'),
      fsType: fsType(2),
      readOnly: readOnly(3),
      secretRef: f.ref(4, SECRET_REF, 'Secret with OpenStack connection parameters.'),
    },
    { required: ['volumeID'] },
  ),
  [`${CORE}FlexPersistentVolumeSource`]: def(
    'A volume handled by an exec-based FlexVolume plugin (deprecated).',
    {
      driver: f.str(1, 'Name of the driver.'),
      fsType: fsType(2),
      secretRef: f.ref(3, SECRET_REF, 'Secret passed to the plugin.'),
      readOnly: readOnly(4),
      options: f.map(5, 'Extra options for the plugin.', 'string'),
    },
    { required: ['driver'] },
  ),
  [`${CORE}AzureFilePersistentVolumeSource`]: def(
    'An Azure Files share (handled by the Azure Files CSI driver).',
    {
      secretName: f.str(1, 'Secret with the storage account name and key.'),
      shareName: f.str(2, 'Name of the share.'),
      readOnly: readOnly(3),
      secretNamespace: f.str(4, "Namespace of the Secret; default the claim's namespace."),
    },
    { required: ['secretName', 'shareName'] },
  ),
  [`${CORE}GlusterfsPersistentVolumeSource`]: def(
    'A GlusterFS mount (no longer supported in-tree).',
    {
      endpoints: f.str(1, 'Endpoints object naming the Gluster servers.'),
      path: f.str(2, 'Gluster volume path.'),
      readOnly: readOnly(3),
      endpointsNamespace: f.str(4, "Namespace of the Endpoints; default the claim's namespace."),
    },
    { required: ['endpoints', 'path'] },
  ),
  [`${CORE}ScaleIOPersistentVolumeSource`]: def(
    'A ScaleIO volume (no longer supported in-tree).',
    {
      gateway: f.str(1, 'Address of the ScaleIO API gateway.'),
      system: f.str(2, 'Name of the ScaleIO storage system.'),
      secretRef: f.ref(3, SECRET_REF, 'Secret with the ScaleIO credentials.'),
      sslEnabled: f.bool(4, 'Whether to talk to the gateway over TLS.'),
      protectionDomain: f.str(5, 'ScaleIO protection domain.'),
      storagePool: f.str(6, 'ScaleIO storage pool.'),
      storageMode: f.str(7, 'ThickProvisioned or ThinProvisioned (default).'),
      volumeName: f.str(8, 'Name of an existing ScaleIO volume.'),
      fsType: f.str(9, 'Filesystem to mount; default xfs.'),
      readOnly: readOnly(10),
    },
    { required: ['gateway', 'system', 'secretRef'] },
  ),
  [`${CORE}StorageOSPersistentVolumeSource`]: def('A StorageOS volume (no longer supported in-tree).', {
    volumeName: f.str(1, 'Name of the StorageOS volume.'),
    volumeNamespace: f.str(2, "StorageOS namespace of the volume; default the pod's namespace."),
    fsType: fsType(3),
    readOnly: readOnly(4),
    secretRef: f.ref(5, `${CORE}ObjectReference`, 'Secret with the StorageOS API credentials.'),
  }),
};

/** The volume source fields of a PV spec (inline in JSON), each holding one kind of storage. */
export const PV_SOURCES: Record<string, [schema: string, description: string]> = {
  awsElasticBlockStore: [`${CORE}AWSElasticBlockStoreVolumeSource`, 'An AWS EBS disk (handled by the EBS CSI driver).'],
  azureDisk: [`${CORE}AzureDiskVolumeSource`, 'An Azure data disk (handled by the Azure Disk CSI driver).'],
  azureFile: [`${CORE}AzureFilePersistentVolumeSource`, 'An Azure Files share (handled by the Azure Files CSI driver).'],
  cephfs: [`${CORE}CephFSPersistentVolumeSource`, 'A CephFS mount (no longer supported in-tree).'],
  cinder: [`${CORE}CinderPersistentVolumeSource`, 'An OpenStack Cinder volume (handled by the Cinder CSI driver).'],
  csi: [`${CORE}CSIPersistentVolumeSource`, 'A volume managed by an external CSI driver.'],
  fc: [`${CORE}FCVolumeSource`, 'A Fibre Channel disk.'],
  flexVolume: [`${CORE}FlexPersistentVolumeSource`, 'A volume handled by an exec-based FlexVolume plugin (deprecated).'],
  flocker: [`${CORE}FlockerVolumeSource`, 'A Flocker dataset (no longer supported in-tree).'],
  gcePersistentDisk: [`${CORE}GCEPersistentDiskVolumeSource`, 'A GCE persistent disk (handled by the GCE PD CSI driver).'],
  glusterfs: [`${CORE}GlusterfsPersistentVolumeSource`, 'A GlusterFS mount (no longer supported in-tree).'],
  hostPath: [`${CORE}HostPathVolumeSource`, 'A directory on the node; for single-node tests only.'],
  iscsi: [`${CORE}ISCSIPersistentVolumeSource`, 'An iSCSI disk.'],
  local: [`${CORE}LocalVolumeSource`, 'A disk or directory attached to one node; needs nodeAffinity.'],
  nfs: [`${CORE}NFSVolumeSource`, 'An NFS export.'],
  photonPersistentDisk: [`${CORE}PhotonPersistentDiskVolumeSource`, 'A Photon Controller disk (no longer supported in-tree).'],
  portworxVolume: [`${CORE}PortworxVolumeSource`, 'A Portworx volume (handled by the Portworx CSI driver).'],
  quobyte: [`${CORE}QuobyteVolumeSource`, 'A Quobyte mount (no longer supported in-tree).'],
  rbd: [`${CORE}RBDPersistentVolumeSource`, 'A Ceph RADOS block device (no longer supported in-tree).'],
  scaleIO: [`${CORE}ScaleIOPersistentVolumeSource`, 'A ScaleIO volume (no longer supported in-tree).'],
  storageos: [`${CORE}StorageOSPersistentVolumeSource`, 'A StorageOS volume (no longer supported in-tree).'],
  vsphereVolume: [`${CORE}VsphereVirtualDiskVolumeSource`, 'A vSphere disk (handled by the vSphere CSI driver).'],
};
