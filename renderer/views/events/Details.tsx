// An Event's overview: what happened to which object, how often, reported by whom.
import type { KubeEvent } from '../../api/types';
import { Facts, ObjectMeta } from '../../components/Meta';
import { ToneText } from '../../components/Tone';
import type { DetailsProps } from '../resources/details-props';
import { involved, lastSeen } from './columns';

/** Overview of an Event. */
export function EventDetails({ obj }: DetailsProps<KubeEvent>) {
  return (
    <>
      <Facts
        label="Event"
        rows={[
          ['Type', <ToneText key="t" tone={obj.type === 'Warning' ? 'warn' : undefined}>{obj.type ?? ''}</ToneText>],
          ['Reason', obj.reason],
          ['Object', involved(obj)],
          ['Message', obj.message],
          ['Count', String(obj.series?.count ?? obj.count ?? 1)],
          ['First seen', obj.firstTimestamp ?? obj.eventTime],
          ['Last seen', lastSeen(obj)],
          ['Source', obj.reportingComponent || obj.source?.component],
        ]}
      />
      <ObjectMeta obj={obj} />
    </>
  );
}
