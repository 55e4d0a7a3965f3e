// scheduling.k8s.io/v1 PriorityClass.
import { forbiddenValue, type FieldError } from '../field-error.js';
import { immutable } from '../checks.js';
import { ageColumn, column, nameColumn, type ApiObject, type TypeGroup } from '../resource-type.js';
import { def, f, metadataField } from '../schema.js';

const SCHED = 'io.k8s.api.scheduling.v1.';

/** Highest priority a user-defined class may have; higher values are for system classes. */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;
/** The built-in system classes and their fixed values. */
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

/** Errors of a PriorityClass: reserved system- names, the user range, and fields fixed once created. */
export function priorityClassErrors(obj: ApiObject, old?: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  const value = (obj.value as number | undefined) ?? 0;
  if (name.startsWith('system-')) {
    const fixed = SYSTEM_CLASSES[name];
    const why = fixed === undefined ? `${name} is not a known system priority class` : value !== fixed ? `value of ${name} PriorityClass must be ${fixed}` : obj.globalDefault === true ? `globalDefault of ${name} PriorityClass must be false` : '';
    if (why) errs.push(forbiddenValue('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HIGHEST_USER_PRIORITY) {
    errs.push(forbiddenValue('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (old) {
    if (value !== ((old.value as number | undefined) ?? 0)) errs.push(forbiddenValue('value', 'may not be changed in an update.'));
    errs.push(...immutable('preemptionPolicy', obj.preemptionPolicy, old.preemptionPolicy));
  }
  return errs;
}

/** The scheduling.k8s.io/v1 kinds. */
export const SCHEDULING: TypeGroup = {
  resources: [
    {
      group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', resource: 'priorityclasses', singular: 'priorityclass', namespaced: false,
      shortNames: ['pc'], categories: [], schemaName: `${SCHED}PriorityClass`,
      description: 'A named pod priority: pods that name the class get its value, and may preempt lower ones.',
      columns: [
        nameColumn,
        column('Value', 'Priority pods of this class get.', (o) => (o.value as number | undefined) ?? 0, { type: 'integer' }),
        column('Global-Default', 'Whether pods without a class get this one.', (o) => String(o.globalDefault === true)),
        ageColumn,
        column('PreemptionPolicy', 'Whether pods of this class may preempt lower-priority pods.', (o) => o.preemptionPolicy as string | undefined),
      ],
      defaults(obj) {
        obj.value ??= 0;
        obj.preemptionPolicy ??= 'PreemptLowerPriority';
      },
      validate: priorityClassErrors,
    },
  ],
  definitions: {
    [`${SCHED}PriorityClass`]: def(
      'A named pod priority: pods that name the class get its value, and may preempt lower ones.',
      {
        metadata: metadataField(),
        value: f.int32(2, 'The priority; up to 1000000000 for user classes, higher is more important. Cannot be changed.', { keepZero: true }),
        globalDefault: f.bool(3, 'Whether pods that name no class get this one; the lowest value wins if several are marked.'),
        description: f.str(4, 'When the class should be used, for people.'),
        preemptionPolicy: f.str(5, 'PreemptLowerPriority (the default) to evict lower-priority pods when needed, or Never. Cannot be changed.', { enum: ['Never', 'PreemptLowerPriority'] }),
      },
      { required: ['value'] },
    ),
  },
};
