// The overview of a Deployment, ReplicaSet, StatefulSet or DaemonSet: replica counts, selector,
// images, conditions.
import type { Workload } from '../../api/types';
import { Conditions, Facts, KeyValues, ObjectMeta } from '../../components/Meta';
import type { DetailsProps } from '../resources/details-props';

const num = (n: number | undefined) => (n === undefined ? undefined : String(n));

/** Overview of a workload controller. */
export function WorkloadDetails({ obj }: DetailsProps<Workload>) {
  const s = obj.status ?? {};
  const images = (obj.spec?.template?.spec?.containers ?? []).map((c) => `${c.name}: ${c.image ?? ''}`).join(', ');
  const daemon = obj.kind === 'DaemonSet' || s.desiredNumberScheduled !== undefined;
  return (
    <>
      <Facts
        label="Replicas"
        rows={
          daemon
            ? [
                ['Desired', num(s.desiredNumberScheduled)],
                ['Current', num(s.currentNumberScheduled)],
                ['Ready', num(s.numberReady)],
                ['Up-to-date', num(s.updatedNumberScheduled)],
                ['Available', num(s.numberAvailable)],
              ]
            : [
                ['Desired', num(obj.spec?.replicas ?? 1)],
                ['Current', num(s.replicas ?? 0)],
                ['Ready', num(s.readyReplicas ?? 0)],
                ['Up-to-date', num(s.updatedReplicas)],
                ['Available', num(s.availableReplicas)],
                ['Paused', obj.spec?.paused ? 'yes' : undefined],
              ]
        }
      />
      <Facts
        label="Pods"
        rows={[
          ['Selector', <KeyValues key="s" map={obj.spec?.selector?.matchLabels} />],
          ['Images', images],
        ]}
      />
      <Conditions conditions={s.conditions} />
      <ObjectMeta obj={obj} />
    </>
  );
}
