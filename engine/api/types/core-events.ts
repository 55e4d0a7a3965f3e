// core/v1 Event, and what it shares with events.k8s.io/v1 Event: the table of `kubectl get events`
// and the validation both APIs apply (upstream stores both as one type).
import { qualifiedNameErrors } from '../checks.js';
import { invalidValue, required, type FieldError } from '../field-error.js';
import { age, column, type ApiObject, type Column, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';
import { rec } from './core-checks.js';

const CORE = 'io.k8s.api.core.v1.';
const LENGTH_LIMIT = 128;
const NOTE_LIMIT = 1024;

/** An event in upstream's internal shape (core/v1 field names), whichever API it came through. */
export interface EventView {
  name: string;
  namespace: string;
  involvedObject: Record<string, unknown>;
  reason?: string;
  message?: string;
  source: Record<string, unknown>;
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  eventTime?: string;
  series?: Record<string, unknown>;
  action?: string;
  related?: unknown;
  reportingController?: string;
  reportingInstance?: string;
}

/** A core/v1 Event as an EventView. */
export function coreEventView(o: ApiObject): EventView {
  return {
    name: o.metadata.name,
    namespace: String(o.metadata.namespace ?? ''),
    involvedObject: rec(o.involvedObject),
    reason: o.reason as string | undefined,
    message: o.message as string | undefined,
    source: rec(o.source),
    firstTimestamp: o.firstTimestamp as string | undefined,
    lastTimestamp: o.lastTimestamp as string | undefined,
    count: o.count as number | undefined,
    type: o.type as string | undefined,
    eventTime: o.eventTime as string | undefined,
    series: o.series === undefined ? undefined : rec(o.series),
    action: o.action as string | undefined,
    related: o.related,
    reportingController: o.reportingComponent as string | undefined,
    reportingInstance: o.reportingInstance as string | undefined,
  };
}

const lastSeen = (e: EventView): string => {
  if (e.series) return age(rec(e.series).lastObservedTime as string | undefined);
  return age(e.lastTimestamp ?? e.firstTimestamp ?? e.eventTime);
};

/** The columns of `kubectl get events` (both APIs print the same table), reading events through `view`. */
export function eventColumns(view: (o: ApiObject) => EventView): Column[] {
  const c = (name: string, description: string, cell: (e: EventView) => string | number, opts: { wide?: boolean; type?: Column['type'] } = {}) => column(name, description, (o) => cell(view(o)), opts);
  return [
    c('Last Seen', 'Time since the event was last seen.', lastSeen),
    c('Type', 'Normal or Warning.', (e) => e.type ?? ''),
    c('Reason', 'Why the event happened, in one CamelCase word.', (e) => e.reason ?? ''),
    c('Object', 'The object the event is about, as kind/name.', (e) => {
      const kind = String(e.involvedObject.kind ?? '').toLowerCase();
      return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
    }),
    c('Subobject', 'The part of the object, e.g. a container.', (e) => String(e.involvedObject.fieldPath ?? ''), { wide: true }),
    c('Source', 'The component that reported the event.', (e) => {
      const component = String(e.source.component || e.reportingController || '');
      const instance = String(e.source.host || e.reportingInstance || '');
      return instance ? `${component}, ${instance}` : component;
    }, { wide: true }),
    c('Message', 'What happened, for people.', (e) => String(e.message ?? '').trim()),
    c('First Seen', 'Time since the event was first seen.', (e) => age(e.firstTimestamp ?? e.eventTime), { wide: true }),
    c('Count', 'How many times the event happened.', (e) => (e.series ? Number(rec(e.series).count ?? 0) : e.count || 1), { wide: true }),
    c('Name', 'Name of the event object.', (e) => e.name, { wide: true }),
  ];
}

/**
 * The checks every event passes (upstream's legacy validation): namespaces agree with the involved
 * object; events with an eventTime name their reporter, action and reason. `reporterField` is the
 * reporting controller's field name in the API the event came through.
 */
export function legacyEventErrors(e: EventView, reporterField: string): FieldError[] {
  const errs: FieldError[] = [];
  const objectNamespace = String(e.involvedObject.namespace ?? '');
  const mismatch = () => errs.push(invalidValue('involvedObject.namespace', objectNamespace, 'does not match event.namespace'));
  if (!e.eventTime) {
    if (objectNamespace ? e.namespace !== objectNamespace : e.namespace !== '' && e.namespace !== 'default') mismatch();
    return errs;
  }
  if (!objectNamespace && e.namespace !== 'default' && e.namespace !== 'kube-system') mismatch();
  if (!e.reportingController) errs.push(required(reporterField));
  errs.push(...qualifiedNameErrors(reporterField, e.reportingController ?? ''));
  const limited = (field: string, value: string | undefined, limit: number, need: boolean) => {
    if (need && !value) errs.push(required(field));
    if ((value ?? '').length > limit) errs.push(invalidValue(field, '', `can have at most ${limit} characters`));
  };
  limited('reportingInstance', e.reportingInstance, LENGTH_LIMIT, true);
  limited('action', e.action, LENGTH_LIMIT, true);
  limited('reason', e.reason, LENGTH_LIMIT, true);
  limited('message', e.message, NOTE_LIMIT, false);
  return errs;
}

/** Event (core/v1). */
export const CORE_EVENTS: TypeGroup = {
  resources: [
    {
      group: '', version: 'v1', kind: 'Event', resource: 'events', singular: 'event', namespaced: true,
      shortNames: ['ev'], categories: [], schemaName: `${CORE}Event`,
      description: 'A report of something that happened to an object, such as a pod being scheduled or an image failing to pull.',
      columns: eventColumns(coreEventView),
      validate: (o) => [...(o.involvedObject === undefined ? [required('involvedObject')] : []), ...legacyEventErrors(coreEventView(o), 'reportingComponent')],
    },
  ],
  definitions: {
    [`${CORE}Event`]: def(
      'A report of something that happened to an object, such as a pod being scheduled or an image failing to pull.',
      {
        metadata: metadataField(),
        involvedObject: f.ref(2, `${CORE}ObjectReference`, 'The object the event is about.'),
        reason: f.str(3, 'Why the event happened, in one CamelCase word.'),
        message: f.str(4, 'What happened, for people.'),
        source: f.ref(5, `${CORE}EventSource`, 'The component that reported the event.'),
        firstTimestamp: f.time(6, 'When the event was first recorded.'),
        lastTimestamp: f.time(7, 'When the event was last recorded.'),
        count: f.int32(8, 'How many times the event happened.'),
        type: f.str(9, 'Normal or Warning.'),
        eventTime: f.microTime(10, 'When the event was first observed, with microseconds.'),
        series: f.ref(11, `${CORE}EventSeries`, 'Repeats of the event, when it keeps happening.'),
        action: f.str(12, 'What was done, or failed, to the object.'),
        related: f.ref(13, `${CORE}ObjectReference`, 'A second object involved, if any.'),
        reportingComponent: f.str(14, 'Name of the reporting controller, e.g. kubernetes.io/kubelet.'),
        reportingInstance: f.str(15, 'ID of the reporting controller instance, e.g. kubelet-node-a.'),
      },
      { required: ['involvedObject'] },
    ),
    [`${CORE}EventSource`]: def('The component that reported an event.', {
      component: f.str(1, 'Name of the component.'),
      host: f.str(2, 'Node the component runs on.'),
    }),
    [`${CORE}EventSeries`]: def('Repeats of an event that keeps happening.', {
      count: f.int32(1, 'How many times the event happened up to the last heartbeat.'),
      lastObservedTime: f.microTime(2, 'When the event was last seen.'),
    }),
  },
};
