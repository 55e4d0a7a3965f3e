// `kubectl get pv` columns: CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS, CLAIM, STORAGECLASS, REASON, AGE.
import type { KubeObject } from '../../api/types';
import { ageColumn, col, nameColumn, type Column } from '../../format/column';
import { accessModes, phaseTone } from '../persistentvolumeclaims/columns';

/** A PersistentVolume. */
export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    claimRef?: { namespace?: string; name?: string };
  };
  status?: { phase?: string; reason?: string };
}

/** CLAIM: namespace/name of the bound claim, or empty. */
export const claimOf = (pv: PersistentVolume): string => (pv.spec?.claimRef?.name ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name}` : '');

/** Columns of the persistentvolumes table. */
export const PV_COLUMNS: Column[] = [
  nameColumn,
  col<PersistentVolume>({ header: 'Capacity', text: (v) => v.spec?.capacity?.storage ?? '' }),
  col<PersistentVolume>({ header: 'Access modes', text: (v) => accessModes(v.spec?.accessModes) }),
  col<PersistentVolume>({ header: 'Reclaim policy', text: (v) => v.spec?.persistentVolumeReclaimPolicy ?? '' }),
  col<PersistentVolume>({ header: 'Status', text: (v) => v.status?.phase ?? '', tone: (v) => phaseTone(v.status?.phase) }),
  col<PersistentVolume>({ header: 'Claim', text: claimOf }),
  col<PersistentVolume>({ header: 'Storage class', text: (v) => v.spec?.storageClassName ?? '' }),
  col<PersistentVolume>({ header: 'Reason', text: (v) => v.status?.reason ?? '' }),
  ageColumn,
];
