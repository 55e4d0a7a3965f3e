// The overview of a kind without its own: metadata and status conditions.
import type { Condition } from '../../api/types';
import { Conditions, ObjectMeta } from '../../components/Meta';
import type { DetailsProps } from './details-props';

/** Metadata and conditions of any object. */
export function GenericDetails({ obj }: DetailsProps) {
  const conditions = (obj.status as { conditions?: Condition[] } | undefined)?.conditions;
  return (
    <>
      <ObjectMeta obj={obj} />
      <Conditions conditions={conditions} />
    </>
  );
}
