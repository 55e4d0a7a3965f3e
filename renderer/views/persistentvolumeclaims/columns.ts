// `kubectl get pvc` columns: STATUS, VOLUME, CAPACITY, ACCESS MODES, STORAGECLASS, AGE.
import type { KubeObject } from '../../api/types';
import { ageColumn, col, nameColumn, type Column, type Tone } from '../../format/column';

/** A PersistentVolumeClaim. */
export interface PersistentVolumeClaim extends KubeObject {
  spec?: { volumeName?: string; storageClassName?: string; accessModes?: string[]; resources?: { requests?: Record<string, string> } };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

const SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** ACCESS MODES: abbreviated (RWO, ROX, RWX, RWOP), comma-separated. */
export const accessModes = (modes: string[] | undefined): string => (modes ?? []).map((m) => SHORT[m] ?? m).join(',');

/** Colour of a claim's or volume's phase. */
export function phaseTone(phase: string | undefined): Tone {
  if (phase === 'Bound') return 'ok';
  if (phase === 'Available') return 'muted';
  if (phase === 'Lost' || phase === 'Failed') return 'bad';
  return 'progress';
}

/** Columns of the persistentvolumeclaims table. */
export const PVC_COLUMNS: Column[] = [
  nameColumn,
  col<PersistentVolumeClaim>({ header: 'Status', text: (c) => c.status?.phase ?? 'Pending', tone: (c) => phaseTone(c.status?.phase ?? 'Pending') }),
  col<PersistentVolumeClaim>({ header: 'Volume', text: (c) => c.spec?.volumeName ?? '' }),
  col<PersistentVolumeClaim>({ header: 'Capacity', text: (c) => c.status?.capacity?.storage ?? '' }),
  col<PersistentVolumeClaim>({ header: 'Access modes', text: (c) => accessModes(c.status?.accessModes) }),
  col<PersistentVolumeClaim>({ header: 'Storage class', text: (c) => c.spec?.storageClassName ?? '<unset>' }),
  ageColumn,
];
