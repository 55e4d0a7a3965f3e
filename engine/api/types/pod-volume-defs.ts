// core/v1 pod volumes as data: Volume with every volume source of Kubernetes 1.34 (the in-tree ones
// included, which PersistentVolumes share), projections, and the claim spec of ephemeral volumes.
import { def, f, LABEL_SELECTOR, OBJECT_META, type Definitions, type FieldSchema } from '../schema.js';

const C = 'io.k8s.api.core.v1.';
const ref = (n: number, type: string, d: string) => f.ref(n, `${C}${type}`, d);
const fsType = (n: number) => f.str(n, 'Filesystem type to mount, e.g. ext4 or xfs; ext4 when empty.');
const readOnly = (n: number) => f.bool(n, 'Mount read-only.');
const secretRef = (n: number, d = 'Secret with the credentials.') => ref(n, 'LocalObjectReference', d);
const items = (n: number) => f.list(n, 'Keys to project and the file paths to put them at; all keys, named after themselves, when empty.', `${C}KeyToPath`, { listType: 'atomic' });
const mode = (n: number, d: string) => f.int32(n, d, { keepZero: true });

/** The volume sources of a pod, by JSON name; their protobuf numbers are those of the inlined VolumeSource (see pod-embedded.ts). */
export const VOLUME_SOURCES: Record<string, [number, string, string]> = {
  hostPath: [1, 'HostPathVolumeSource', 'A file or directory of the node; for system agents, rarely for applications.'],
  emptyDir: [2, 'EmptyDirVolumeSource', 'An empty directory that lives as long as the pod.'],
  gcePersistentDisk: [3, 'GCEPersistentDiskVolumeSource', 'A GCE persistent disk (deprecated: handled by its CSI driver).'],
  awsElasticBlockStore: [4, 'AWSElasticBlockStoreVolumeSource', 'An AWS EBS volume (deprecated: handled by its CSI driver).'],
  gitRepo: [5, 'GitRepoVolumeSource', 'A git repository cloned at a revision (deprecated: clone in an init container instead).'],
  secret: [6, 'SecretVolumeSource', 'The keys of a Secret as files.'],
  nfs: [7, 'NFSVolumeSource', 'An NFS export.'],
  iscsi: [8, 'ISCSIVolumeSource', 'An iSCSI disk.'],
  glusterfs: [9, 'GlusterfsVolumeSource', 'A Glusterfs volume (deprecated, no longer supported).'],
  persistentVolumeClaim: [10, 'PersistentVolumeClaimVolumeSource', 'The volume bound to a PersistentVolumeClaim in the pod\'s namespace.'],
  rbd: [11, 'RBDVolumeSource', 'A Ceph RADOS block device (deprecated, no longer supported).'],
  flexVolume: [12, 'FlexVolumeSource', 'A volume of an exec-based FlexVolume driver (deprecated: use CSI).'],
  cinder: [13, 'CinderVolumeSource', 'An OpenStack Cinder volume (deprecated: handled by its CSI driver).'],
  cephfs: [14, 'CephFSVolumeSource', 'A CephFS mount (deprecated, no longer supported).'],
  flocker: [15, 'FlockerVolumeSource', 'A Flocker dataset (deprecated, no longer supported).'],
  downwardAPI: [16, 'DownwardAPIVolumeSource', 'Fields of the pod and its containers\' resources as files.'],
  fc: [17, 'FCVolumeSource', 'A Fibre Channel disk.'],
  azureFile: [18, 'AzureFileVolumeSource', 'An Azure file share (deprecated: handled by its CSI driver).'],
  configMap: [19, 'ConfigMapVolumeSource', 'The keys of a ConfigMap as files.'],
  vsphereVolume: [20, 'VsphereVirtualDiskVolumeSource', 'A vSphere disk (deprecated: handled by its CSI driver).'],
  quobyte: [21, 'QuobyteVolumeSource', 'A Quobyte volume (deprecated, no longer supported).'],
  azureDisk: [22, 'AzureDiskVolumeSource', 'An Azure data disk (deprecated: handled by its CSI driver).'],
  photonPersistentDisk: [23, 'PhotonPersistentDiskVolumeSource', 'A Photon Controller disk (deprecated, no longer supported).'],
  projected: [26, 'ProjectedVolumeSource', 'Several sources (secrets, config maps, downward API, tokens…) in one directory.'],
  portworxVolume: [24, 'PortworxVolumeSource', 'A Portworx volume (deprecated: handled by its CSI driver).'],
  scaleIO: [25, 'ScaleIOVolumeSource', 'A ScaleIO volume (deprecated, no longer supported).'],
  storageos: [27, 'StorageOSVolumeSource', 'A StorageOS volume (deprecated, no longer supported).'],
  csi: [28, 'CSIVolumeSource', 'An ephemeral volume of a CSI driver that supports inline volumes.'],
  ephemeral: [29, 'EphemeralVolumeSource', 'A volume claim made for the pod from a template and deleted with it.'],
  image: [30, 'ImageVolumeSource', 'The contents of an OCI image or artifact, mounted read-only.'],
};

const volumeSourceFields: Record<string, FieldSchema> = Object.fromEntries(
  Object.entries(VOLUME_SOURCES).map(([name, [, type, d]]) => [name, ref(0, type, d)]),
);

/** Volume definitions. */
export const VOLUME_DEFINITIONS: Definitions = {
  [`${C}Volume`]: def(
    'A named volume of a pod, with exactly one source; an emptyDir when none is given.',
    { name: f.str(1, 'Name of the volume, a DNS label unique in the pod.'), ...volumeSourceFields },
    { required: ['name'] },
  ),
  [`${C}KeyToPath`]: def(
    'A key projected to a file.',
    {
      key: f.str(1, 'The key.'),
      path: f.str(2, 'Relative file path; may not contain "..".'),
      mode: mode(3, 'Permission bits of the file (0-0777, decimal in JSON); the volume\'s defaultMode when unset.'),
    },
    { required: ['key', 'path'] },
  ),
  [`${C}HostPathVolumeSource`]: def(
    'A path on the node.',
    {
      path: f.str(1, 'Path on the node; symbolic links are followed.'),
      type: f.str(2, 'What must be at the path: "" (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.', {
        enum: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
        keepZero: true,
      }),
    },
    { required: ['path'] },
  ),
  [`${C}EmptyDirVolumeSource`]: def('An empty directory that lives as long as the pod.', {
    medium: f.str(1, 'Storage backing the directory: "" for the node\'s disk, or Memory for a tmpfs.'),
    sizeLimit: f.quantity(2, 'Most space the directory may use; for Memory also bounded by the pod\'s memory limits.'),
  }),
  [`${C}GCEPersistentDiskVolumeSource`]: def(
    'A GCE persistent disk.',
    { pdName: f.str(1, 'Name of the disk in GCE.'), fsType: fsType(2), partition: f.int32(3, 'Partition to mount; the whole disk when 0.'), readOnly: readOnly(4) },
    { required: ['pdName'] },
  ),
  [`${C}AWSElasticBlockStoreVolumeSource`]: def(
    'An AWS EBS volume.',
    { volumeID: f.str(1, 'ID of the EBS volume.'), fsType: fsType(2), partition: f.int32(3, 'Partition to mount; the whole volume when 0.'), readOnly: readOnly(4) },
    { required: ['volumeID'] },
  ),
  [`${C}GitRepoVolumeSource`]: def(
    'A git repository.',
    {
      repository: f.str(1, 'URL of the repository.'),
      revision: f.str(2, 'Commit to check out.'),
      directory: f.str(3, 'Directory to clone into; "." clones into the volume root.'),
    },
    { required: ['repository'] },
  ),
  [`${C}SecretVolumeSource`]: def('The keys of a Secret as files.', {
    secretName: f.str(1, 'Name of the Secret in the pod\'s namespace.'),
    items: items(2),
    defaultMode: mode(3, 'Permission bits of the files (0-0777, decimal in JSON); 0644 (420) by default.'),
    optional: f.bool(4, 'Whether the Secret or its keys may be missing.', { keepZero: true }),
  }),
  [`${C}NFSVolumeSource`]: def(
    'An NFS export.',
    { server: f.str(1, 'Host name or address of the NFS server.'), path: f.str(2, 'Exported path.'), readOnly: readOnly(3) },
    { required: ['server', 'path'] },
  ),
  [`${C}ISCSIVolumeSource`]: def(
    'An iSCSI disk.',
    {
      targetPortal: f.str(1, 'Target portal: an IP, or ip:port when not the default port.'),
      iqn: f.str(2, 'iSCSI qualified name of the target.'),
      lun: f.int32(3, 'Target LUN number.', { keepZero: true }),
      iscsiInterface: f.str(4, 'iSCSI transport interface; default (tcp) by default.'),
      fsType: fsType(5),
      readOnly: readOnly(6),
      portals: f.list(7, 'More target portals.', 'string', { listType: 'atomic' }),
      chapAuthDiscovery: f.bool(8, 'Use CHAP authentication for discovery.'),
      chapAuthSession: f.bool(11, 'Use CHAP authentication for the session.'),
      secretRef: secretRef(10, 'Secret with the CHAP credentials.'),
      initiatorName: f.str(12, 'Custom initiator name.'),
    },
    { required: ['targetPortal', 'iqn'] },
  ),
  [`${C}GlusterfsVolumeSource`]: def(
    'A Glusterfs volume.',
    { endpoints: f.str(1, 'Endpoints object listing the Glusterfs servers.'), path: f.str(2, 'Glusterfs volume path.'), readOnly: readOnly(3) },
    { required: ['endpoints', 'path'] },
  ),
  [`${C}PersistentVolumeClaimVolumeSource`]: def(
    'The volume bound to a claim.',
    { claimName: f.str(1, 'Name of the PersistentVolumeClaim in the pod\'s namespace.'), readOnly: readOnly(2) },
    { required: ['claimName'] },
  ),
  [`${C}RBDVolumeSource`]: def(
    'A Ceph RADOS block device.',
    {
      monitors: f.list(1, 'Ceph monitors.', 'string', { listType: 'atomic' }),
      image: f.str(2, 'RADOS image name.'),
      fsType: fsType(3),
      pool: f.str(4, 'RADOS pool; rbd by default.'),
      user: f.str(5, 'RADOS user; admin by default.'),
      keyring: f.str(6, 'Keyring path; /etc/ceph/keyring by default.'),
      secretRef: secretRef(7, 'Secret with the user\'s key; overrides keyring.'),
      readOnly: readOnly(8),
    },
    { required: ['monitors', 'image'] },
  ),
  [`${C}FlexVolumeSource`]: def(
    'A volume of an exec-based FlexVolume driver.',
    {
      driver: f.str(1, 'Name of the driver.'),
      fsType: f.str(2, 'Filesystem type; the driver\'s default when empty.'),
      secretRef: secretRef(3, 'Secret passed to the driver.'),
      readOnly: readOnly(4),
      options: f.map(5, 'Extra options for the driver.', 'string'),
    },
    { required: ['driver'] },
  ),
  [`${C}CinderVolumeSource`]: def(
    'An OpenStack Cinder volume.',
    { volumeID: f.str(1, 'ID of the volume.'), fsType: fsType(2), readOnly: readOnly(3), secretRef: secretRef(4, 'Secret with OpenStack connection parameters.') },
    { required: ['volumeID'] },
  ),
  [`${C}CephFSVolumeSource`]: def(
    'A CephFS mount.',
    {
      monitors: f.list(1, 'Ceph monitors.', 'string', { listType: 'atomic' }),
      path: f.str(2, 'Path to mount as the root; / by default.'),
      user: f.str(3, 'RADOS user; admin by default.'),
      secretFile: f.str(4, 'Key ring path for the user; /etc/ceph/user.secret by default.'),
      secretRef: secretRef(5, 'Secret with the user\'s key.'),
      readOnly: readOnly(6),
    },
    { required: ['monitors'] },
  ),
  [`${C}FlockerVolumeSource`]: def('A Flocker dataset; set one of the two fields.', {
    datasetName: f.str(1, 'Name of the dataset (deprecated).'),
    datasetUUID: f.str(2, 'UUID of the dataset.'),
  }),
  [`${C}DownwardAPIVolumeSource`]: def('Pod fields as files.', {
    items: f.list(1, 'The files.', `${C}DownwardAPIVolumeFile`, { listType: 'atomic' }),
    defaultMode: mode(2, 'Permission bits of the files (0-0777, decimal in JSON); 0644 (420) by default.'),
  }),
  [`${C}DownwardAPIVolumeFile`]: def(
    'A file holding a field of the pod or a container resource.',
    {
      path: f.str(1, 'Relative path of the file; may not contain "..".'),
      fieldRef: ref(2, 'ObjectFieldSelector', 'Pod field to write: metadata.name, namespace, uid, labels or annotations.'),
      resourceFieldRef: ref(3, 'ResourceFieldSelector', 'Container resource to write, e.g. limits.memory.'),
      mode: mode(4, 'Permission bits of the file; the volume\'s defaultMode when unset.'),
    },
    { required: ['path'] },
  ),
  [`${C}FCVolumeSource`]: def('A Fibre Channel disk: targetWWNs with lun, or wwids.', {
    targetWWNs: f.list(1, 'Target world wide names.', 'string', { listType: 'atomic' }),
    lun: f.int32(2, 'Target LUN number.', { keepZero: true }),
    fsType: fsType(3),
    readOnly: readOnly(4),
    wwids: f.list(5, 'World wide identifiers of the volume.', 'string', { listType: 'atomic' }),
  }),
  [`${C}AzureFileVolumeSource`]: def(
    'An Azure file share.',
    { secretName: f.str(1, 'Secret with the storage account name and key.'), shareName: f.str(2, 'Name of the share.'), readOnly: readOnly(3) },
    { required: ['secretName', 'shareName'] },
  ),
  [`${C}ConfigMapVolumeSource`]: def('The keys of a ConfigMap as files.', {
    name: f.str(0, 'Name of the ConfigMap in the pod\'s namespace.'),
    items: items(2),
    defaultMode: mode(3, 'Permission bits of the files (0-0777, decimal in JSON); 0644 (420) by default.'),
    optional: f.bool(4, 'Whether the ConfigMap or its keys may be missing.', { keepZero: true }),
  }),
  [`${C}VsphereVirtualDiskVolumeSource`]: def(
    'A vSphere disk.',
    {
      volumePath: f.str(1, 'Path of the VMDK.'),
      fsType: fsType(2),
      storagePolicyName: f.str(3, 'Storage policy (SPBM) profile name.'),
      storagePolicyID: f.str(4, 'Storage policy (SPBM) profile ID.'),
    },
    { required: ['volumePath'] },
  ),
  [`${C}QuobyteVolumeSource`]: def(
    'A Quobyte volume.',
    {
      registry: f.str(1, 'Quobyte registry services, host:port, comma-separated.'),
      volume: f.str(2, 'Name of an existing Quobyte volume.'),
      readOnly: readOnly(3),
      user: f.str(4, 'User to map access to; the service account\'s by default.'),
      group: f.str(5, 'Group to map access to.'),
      tenant: f.str(6, 'Tenant owning the volume.'),
    },
    { required: ['registry', 'volume'] },
  ),
  [`${C}AzureDiskVolumeSource`]: def(
    'An Azure data disk.',
    {
      diskName: f.str(1, 'Name of the disk.'),
      diskURI: f.str(2, 'URI of the disk.'),
      cachingMode: f.str(3, 'Host caching: None, ReadOnly or ReadWrite (the default).', { enum: ['None', 'ReadOnly', 'ReadWrite'], keepZero: true }),
      fsType: f.str(4, 'Filesystem type; ext4 by default.', { keepZero: true }),
      readOnly: f.bool(5, 'Mount read-only; false by default.', { keepZero: true }),
      kind: f.str(6, 'Shared (the default), Dedicated or Managed.', { enum: ['Dedicated', 'Managed', 'Shared'], keepZero: true }),
    },
    { required: ['diskName', 'diskURI'] },
  ),
  [`${C}PhotonPersistentDiskVolumeSource`]: def('A Photon Controller disk.', { pdID: f.str(1, 'ID of the disk.'), fsType: fsType(2) }, { required: ['pdID'] }),
  [`${C}ProjectedVolumeSource`]: def('Several sources in one directory.', {
    sources: f.list(1, 'The sources.', `${C}VolumeProjection`, { listType: 'atomic' }),
    defaultMode: mode(2, 'Permission bits of the files (0-0777, decimal in JSON); 0644 (420) by default.'),
  }),
  [`${C}VolumeProjection`]: def('One source of a projected volume; exactly one field is set.', {
    secret: ref(1, 'SecretProjection', 'Keys of a Secret.'),
    downwardAPI: ref(2, 'DownwardAPIProjection', 'Fields of the pod.'),
    configMap: ref(3, 'ConfigMapProjection', 'Keys of a ConfigMap.'),
    serviceAccountToken: ref(4, 'ServiceAccountTokenProjection', 'A token of the pod\'s service account, renewed automatically.'),
    clusterTrustBundle: ref(5, 'ClusterTrustBundleProjection', 'Certificates of ClusterTrustBundles, kept up to date.'),
    podCertificate: ref(6, 'PodCertificateProjection', 'A private key and a certificate issued for the pod, renewed automatically (PodCertificateProjection feature).'),
  }),
  [`${C}SecretProjection`]: def('Keys of a Secret in a projected volume.', {
    name: f.str(0, 'Name of the Secret.'),
    items: items(2),
    optional: f.bool(4, 'Whether the Secret or its keys may be missing.', { keepZero: true }),
  }),
  [`${C}ConfigMapProjection`]: def('Keys of a ConfigMap in a projected volume.', {
    name: f.str(0, 'Name of the ConfigMap.'),
    items: items(2),
    optional: f.bool(4, 'Whether the ConfigMap or its keys may be missing.', { keepZero: true }),
  }),
  [`${C}DownwardAPIProjection`]: def('Pod fields in a projected volume.', {
    items: f.list(1, 'The files.', `${C}DownwardAPIVolumeFile`, { listType: 'atomic' }),
  }),
  [`${C}ServiceAccountTokenProjection`]: def(
    'A service account token in a projected volume.',
    {
      audience: f.str(1, 'Audience the token is for; the API server by default.'),
      expirationSeconds: f.int64(2, 'Requested lifetime in seconds; 3600 by default, at least 600. The kubelet renews the token before it expires.', { keepZero: true }),
      path: f.str(3, 'Relative path of the token file.'),
    },
    { required: ['path'] },
  ),
  [`${C}ClusterTrustBundleProjection`]: def(
    'Certificates of ClusterTrustBundles: one by name, or all of a signer matching a label selector.',
    {
      name: f.str(1, 'Name of one ClusterTrustBundle.'),
      signerName: f.str(2, 'Signer whose bundles are used.'),
      labelSelector: f.ref(3, LABEL_SELECTOR, 'Bundles of the signer to use; none when unset, all when empty.'),
      optional: f.bool(5, 'Start the pod even when no bundle is found.', { keepZero: true }),
      path: f.str(4, 'Relative path of the file.'),
    },
    { required: ['path'] },
  ),
  [`${C}PodCertificateProjection`]: def(
    'A key pair generated by the kubelet and a certificate for it from a signer.',
    {
      signerName: f.str(1, 'Signer that issues the certificate.'),
      keyType: f.str(2, 'Key type: RSA3072, RSA4096, ECDSAP256, ECDSAP384, ECDSAP521 or ED25519.'),
      maxExpirationSeconds: f.int32(3, 'Longest certificate lifetime to ask for; 86400 by default, 3600 to 7862400.', { keepZero: true }),
      credentialBundlePath: f.str(4, 'Relative path of one file with the key and the certificate chain.'),
      keyPath: f.str(5, 'Relative path of the private key file.'),
      certificateChainPath: f.str(6, 'Relative path of the certificate chain file.'),
    },
    { required: ['signerName', 'keyType'] },
  ),
  [`${C}PortworxVolumeSource`]: def(
    'A Portworx volume.',
    { volumeID: f.str(1, 'ID of the volume.'), fsType: fsType(2), readOnly: readOnly(3) },
    { required: ['volumeID'] },
  ),
  [`${C}ScaleIOVolumeSource`]: def(
    'A ScaleIO volume.',
    {
      gateway: f.str(1, 'Address of the ScaleIO API gateway.'),
      system: f.str(2, 'Name of the ScaleIO storage system.'),
      secretRef: secretRef(3, 'Secret with the ScaleIO user\'s credentials.'),
      sslEnabled: f.bool(4, 'Use TLS to talk to the gateway.'),
      protectionDomain: f.str(5, 'ScaleIO protection domain.'),
      storagePool: f.str(6, 'ScaleIO storage pool.'),
      storageMode: f.str(7, 'ThinProvisioned (the default) or ThickProvisioned.'),
      volumeName: f.str(8, 'Name of an existing ScaleIO volume.'),
      fsType: f.str(9, 'Filesystem type; xfs by default.'),
      readOnly: readOnly(10),
    },
    { required: ['gateway', 'system', 'secretRef'] },
  ),
  [`${C}StorageOSVolumeSource`]: def('A StorageOS volume.', {
    volumeName: f.str(1, 'Name of the volume, unique in its StorageOS namespace.'),
    volumeNamespace: f.str(2, 'StorageOS namespace; the pod\'s namespace by default.'),
    fsType: fsType(3),
    readOnly: readOnly(4),
    secretRef: secretRef(5, 'Secret with the StorageOS API credentials.'),
  }),
  [`${C}CSIVolumeSource`]: def(
    'An inline ephemeral volume of a CSI driver.',
    {
      driver: f.str(1, 'Name of the CSI driver.'),
      readOnly: f.bool(2, 'Mount read-only.', { keepZero: true }),
      fsType: f.str(3, 'Filesystem type; the driver decides when empty.'),
      volumeAttributes: f.map(4, 'Driver-specific settings.', 'string'),
      nodePublishSecretRef: secretRef(5, 'Secret passed to the driver when mounting.'),
    },
    { required: ['driver'] },
  ),
  [`${C}EphemeralVolumeSource`]: def('A volume claim created for the pod from a template; the claim is named <pod>-<volume> and deleted with the pod.', {
    volumeClaimTemplate: ref(1, 'PersistentVolumeClaimTemplate', 'Template of the claim.'),
  }),
  [`${C}PersistentVolumeClaimTemplate`]: def(
    'Template of a PersistentVolumeClaim.',
    {
      metadata: f.ref(1, OBJECT_META, 'Labels and annotations copied to the claim.'),
      spec: ref(2, 'PersistentVolumeClaimSpec', 'Spec of the claim, copied unchanged.'),
    },
    { required: ['spec'] },
  ),
  [`${C}ImageVolumeSource`]: def('An OCI image or artifact as a read-only volume.', {
    reference: f.str(1, 'Image or artifact reference, as for a container image.'),
    pullPolicy: f.str(2, 'When to pull: Always, IfNotPresent or Never; Always for :latest, IfNotPresent otherwise.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
  }),
  [`${C}PersistentVolumeClaimSpec`]: def('What storage a claim asks for.', {
    accessModes: f.list(1, 'How the volume must be mountable: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.', 'string', { listType: 'atomic' }),
    selector: f.ref(4, LABEL_SELECTOR, 'Labels of existing volumes the claim may bind to.'),
    resources: ref(2, 'VolumeResourceRequirements', 'Storage requested, e.g. requests.storage: 10Gi.'),
    volumeName: f.str(3, 'Name of the PersistentVolume to bind to.'),
    storageClassName: f.str(5, 'StorageClass to provision from; the default class when unset, no class when "".'),
    volumeMode: f.str(6, 'Filesystem (the default) or Block.', { enum: ['Block', 'Filesystem'] }),
    dataSource: ref(7, 'TypedLocalObjectReference', 'A VolumeSnapshot or PersistentVolumeClaim to copy the data from.'),
    dataSourceRef: ref(8, 'TypedObjectReference', 'Any object a volume populator can fill the volume from.'),
    volumeAttributesClassName: f.str(9, 'VolumeAttributesClass of the volume; may change after creation.'),
  }),
  [`${C}VolumeResourceRequirements`]: def('Storage requested and allowed at most.', {
    limits: f.map(1, 'Most storage allowed.', 'quantity'),
    requests: f.map(2, 'Storage requested, e.g. storage: 10Gi.', 'quantity'),
  }),
};
