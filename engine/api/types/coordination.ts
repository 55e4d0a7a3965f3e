// coordination.k8s.io/v1 Lease.
import { nonNegative } from '../checks.js';
import { invalidValue } from '../field-error.js';
import { ageColumn, column, nameColumn, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';

const COORD = 'io.k8s.api.coordination.v1.';

/** Lease. */
export const COORDINATION: TypeGroup = {
  resources: [
    {
      group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', singular: 'lease', namespaced: true,
      shortNames: [], categories: [], schemaName: `${COORD}Lease`,
      description: 'A lock with an expiry: node heartbeats and leader election use it.',
      columns: [nameColumn, column('Holder', 'Identity of the current holder.', (o) => (o.spec as { holderIdentity?: string } | undefined)?.holderIdentity), ageColumn],
      validate(obj) {
        const spec = (obj.spec ?? {}) as { leaseDurationSeconds?: unknown; leaseTransitions?: unknown };
        const d = spec.leaseDurationSeconds;
        return [...(typeof d === 'number' && d <= 0 ? [invalidValue('spec.leaseDurationSeconds', d, 'must be greater than 0')] : []), ...nonNegative('spec.leaseTransitions', spec.leaseTransitions)];
      },
    },
  ],
  definitions: {
    [`${COORD}Lease`]: def('A lock with an expiry: node heartbeats and leader election use it.', {
      metadata: metadataField(),
      spec: f.ref(2, `${COORD}LeaseSpec`, 'Who holds the lease and until when.'),
    }),
    [`${COORD}LeaseSpec`]: def('Who holds the lease and until when.', {
      holderIdentity: f.str(1, 'Identity of the current holder.'),
      leaseDurationSeconds: f.int32(2, 'Seconds others wait after the last renewal before taking the lease.', { keepZero: true }),
      acquireTime: f.microTime(3, 'When the current holder took the lease (microsecond precision).'),
      renewTime: f.microTime(4, 'When the holder last renewed the lease (microsecond precision).'),
      leaseTransitions: f.int32(5, 'How many times the lease has changed hands.', { keepZero: true }),
      strategy: f.str(6, 'How the holder is chosen for coordinated leader election.'),
      preferredHolder: f.str(7, 'Holder the lease should move to, for coordinated leader election.'),
    }),
  },
};
