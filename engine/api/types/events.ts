// events.k8s.io/v1 Event: the newer form of core/v1 Event, with the same table and checks.
import { immutable } from '../checks.js';
import { invalidValue, required, type FieldError } from '../field-error.js';
import type { ApiObject, TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { rec } from './core-checks.js';
import { eventColumns, legacyEventErrors, type EventView } from './core-events.js';

const EV = 'io.k8s.api.events.v1.';
const CORE = 'io.k8s.api.core.v1.';

/** An events.k8s.io/v1 Event in upstream's internal (core/v1) shape. */
export function eventsV1View(o: ApiObject): EventView {
  return {
    name: o.metadata.name,
    namespace: String(o.metadata.namespace ?? ''),
    involvedObject: rec(o.regarding),
    reason: o.reason as string | undefined,
    message: o.note as string | undefined,
    source: rec(o.deprecatedSource),
    firstTimestamp: o.deprecatedFirstTimestamp as string | undefined,
    lastTimestamp: o.deprecatedLastTimestamp as string | undefined,
    count: o.deprecatedCount as number | undefined,
    type: o.type as string | undefined,
    eventTime: o.eventTime as string | undefined,
    series: o.series === undefined ? undefined : rec(o.series),
    action: o.action as string | undefined,
    related: o.related,
    reportingController: o.reportingController as string | undefined,
    reportingInstance: o.reportingInstance as string | undefined,
  };
}

/** A changed series needs a count of at least 2 and a last observed time. */
function seriesErrors(e: EventView): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if (!(Number(e.series.count ?? 0) >= 2)) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** Everything wrong with an events.k8s.io Event: the legacy checks, then the stricter ones of this API; most fields are fixed once written. */
export function eventsV1Errors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const e = eventsV1View(obj);
  const errs = legacyEventErrors(e, 'reportingController');
  if (old) {
    const was = eventsV1View(old);
    if (JSON.stringify(e.series ?? null) !== JSON.stringify(was.series ?? null)) errs.push(...seriesErrors(e));
    const fixed: [string, unknown, unknown][] = [
      ['involvedObject', e.involvedObject, was.involvedObject], ['reason', e.reason, was.reason], ['message', e.message, was.message],
      ['source', e.source, was.source], ['firstTimestamp', e.firstTimestamp, was.firstTimestamp], ['lastTimestamp', e.lastTimestamp, was.lastTimestamp],
      ['count', e.count, was.count], ['type', e.type, was.type], ['eventTime', e.eventTime, was.eventTime], ['action', e.action, was.action],
      ['related', e.related, was.related], ['reportingController', e.reportingController, was.reportingController], ['reportingInstance', e.reportingInstance, was.reportingInstance],
    ];
    for (const [field, now, before] of fixed) errs.push(...immutable(field, now, before));
    return errs;
  }
  errs.push(...seriesErrors(e));
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(invalidValue('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalidValue('lastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(invalidValue('count', '', 'needs to be unset'));
  if (e.source.component || e.source.host) errs.push(invalidValue('source', '', 'needs to be unset'));
  return errs;
}

/** events.k8s.io/v1 Event. */
export const EVENTS: TypeGroup = {
  resources: [
    {
      group: 'events.k8s.io', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', namespaced: true,
      shortNames: ['ev'], categories: [], schemaName: `${EV}Event`,
      description: 'A report of something that happened to an object, in the structured form of events.k8s.io.',
      columns: eventColumns(eventsV1View),
      validate: eventsV1Errors,
    },
  ],
  definitions: {
    [`${EV}Event`]: def(
      'A report of something that happened to an object, in the structured form of events.k8s.io.',
      {
        metadata: metadataField(),
        eventTime: f.microTime(2, 'When the event was first observed, with microseconds.'),
        series: f.ref(3, `${EV}EventSeries`, 'Repeats of the event, when it keeps happening.'),
        reportingController: f.str(4, 'Name of the reporting controller, e.g. kubernetes.io/kubelet.'),
        reportingInstance: f.str(5, 'ID of the reporting controller instance, at most 128 characters.'),
        action: f.str(6, 'What was done, or failed, to the object; at most 128 characters.'),
        reason: f.str(7, 'Why the action was taken, in one CamelCase word; at most 128 characters.'),
        regarding: f.ref(8, `${CORE}ObjectReference`, 'The object the event is about.'),
        related: f.ref(9, `${CORE}ObjectReference`, 'A second object involved, if any.'),
        note: f.str(10, 'What happened, for people; at most 1 kB.'),
        type: f.str(11, 'Normal or Warning.'),
        deprecatedSource: f.ref(12, `${CORE}EventSource`, 'The reporting component, as core/v1 events name it.'),
        deprecatedFirstTimestamp: f.time(13, 'When the event was first recorded, as core/v1 events record it.'),
        deprecatedLastTimestamp: f.time(14, 'When the event was last recorded, as core/v1 events record it.'),
        deprecatedCount: f.int32(15, 'How many times the event happened, as core/v1 events count it.'),
      },
      { required: ['eventTime'] },
    ),
    [`${EV}EventSeries`]: def(
      'Repeats of an event that keeps happening.',
      {
        count: f.int32(1, 'How many times the event happened up to the last heartbeat.'),
        lastObservedTime: f.microTime(2, 'When the event was last seen before the last heartbeat.'),
      },
      { required: ['count', 'lastObservedTime'] },
    ),
  },
};
