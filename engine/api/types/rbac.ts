// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding and ClusterRoleBinding.
import { ageColumn, column, nameColumn, type Column, type TypeGroup } from '../resource-type.js';
import { def, f, LABEL_SELECTOR, metadataField } from '../schema.js';
import { bindingErrors, createdAt, defaultBinding, roleErrors, subjectsCell } from './rbac-rules.js';

const R = 'io.k8s.api.rbac.v1.';

const roleColumns: Column[] = [nameColumn, column('Created At', 'When the role was created.', createdAt, { type: 'date' })];
const bindingColumns: Column[] = [
  nameColumn,
  column('Role', 'The role granted, as Kind/name.', (o) => {
    const r = (o.roleRef ?? {}) as { kind?: string; name?: string };
    return `${r.kind ?? ''}/${r.name ?? ''}`;
  }),
  ageColumn,
  column('Users', 'Users the role is granted to.', subjectsCell('User'), { wide: true }),
  column('Groups', 'Groups the role is granted to.', subjectsCell('Group'), { wide: true }),
  column('ServiceAccounts', 'Service accounts the role is granted to.', subjectsCell('ServiceAccount'), { wide: true }),
];

const rulesField = (what: string) => f.list(2, `What ${what} allows.`, `${R}PolicyRule`, { listType: 'atomic' });
const subjectsField = () => f.list(2, 'Who the role is granted to.', `${R}Subject`, { listType: 'atomic' });
const roleRefField = (what: string) => f.ref(3, `${R}RoleRef`, `The ${what} granted. Cannot be changed: delete and recreate the binding instead.`);

/** The rbac.authorization.k8s.io/v1 kinds. */
export const RBAC: TypeGroup = {
  resources: [
    {
      group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', resource: 'roles', singular: 'role', namespaced: true, nameFormat: 'path-segment',
      shortNames: [], categories: [], schemaName: `${R}Role`,
      description: 'Permissions on resources in one namespace, granted to users through RoleBindings.',
      columns: roleColumns,
      validate: (obj) => roleErrors(obj, true),
    },
    {
      group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', resource: 'clusterroles', singular: 'clusterrole', namespaced: false, nameFormat: 'path-segment',
      shortNames: [], categories: [], schemaName: `${R}ClusterRole`,
      description: 'Permissions on resources cluster-wide or in any namespace, and on non-resource URLs; granted through bindings.',
      columns: roleColumns,
      validate: (obj) => roleErrors(obj, false),
    },
    {
      group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', resource: 'rolebindings', singular: 'rolebinding', namespaced: true, nameFormat: 'path-segment',
      shortNames: [], categories: [], schemaName: `${R}RoleBinding`,
      description: 'Grants the permissions of a Role or ClusterRole to subjects, within the binding namespace.',
      columns: bindingColumns,
      defaults: defaultBinding,
      validate: (obj, old) => bindingErrors(obj, old, true),
    },
    {
      group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, nameFormat: 'path-segment',
      shortNames: [], categories: [], schemaName: `${R}ClusterRoleBinding`,
      description: 'Grants the permissions of a ClusterRole to subjects in every namespace.',
      columns: bindingColumns,
      defaults: defaultBinding,
      validate: (obj, old) => bindingErrors(obj, old, false),
    },
  ],
  definitions: {
    [`${R}Role`]: def('Permissions on resources in one namespace, granted to users through RoleBindings.', {
      metadata: metadataField(),
      rules: rulesField('the role'),
    }),
    [`${R}ClusterRole`]: def('Permissions on resources cluster-wide or in any namespace, and on non-resource URLs; granted through bindings.', {
      metadata: metadataField(),
      rules: rulesField('the role'),
      aggregationRule: f.ref(3, `${R}AggregationRule`, 'Builds rules from other ClusterRoles; rules are then managed by the controller.'),
    }),
    [`${R}AggregationRule`]: def('Which ClusterRoles a ClusterRole gathers its rules from.', {
      clusterRoleSelectors: f.list(1, 'Label selectors; rules of every ClusterRole any of them matches are added.', LABEL_SELECTOR, { listType: 'atomic' }),
    }),
    [`${R}PolicyRule`]: def(
      'Verbs allowed on some resources, or on some non-resource URLs (not both).',
      {
        verbs: f.list(1, 'Verbs allowed, e.g. get, list, watch, create; * for all.', 'string', { listType: 'atomic' }),
        apiGroups: f.list(2, 'API groups of the resources; "" is the core group, * all groups.', 'string', { listType: 'atomic' }),
        resources: f.list(3, 'Resources the rule covers, e.g. pods or pods/log; * for all.', 'string', { listType: 'atomic' }),
        resourceNames: f.list(4, 'Names of the objects the rule is limited to; every object when empty.', 'string', { listType: 'atomic' }),
        nonResourceURLs: f.list(5, 'URL paths such as /healthz or /api/*; only in ClusterRoles bound by ClusterRoleBindings.', 'string', { listType: 'atomic' }),
      },
    ),
    [`${R}RoleBinding`]: def('Grants the permissions of a Role or ClusterRole to subjects, within the binding namespace.', {
      metadata: metadataField(),
      subjects: subjectsField(),
      roleRef: roleRefField('Role (in this namespace) or ClusterRole'),
    }),
    [`${R}ClusterRoleBinding`]: def('Grants the permissions of a ClusterRole to subjects in every namespace.', {
      metadata: metadataField(),
      subjects: subjectsField(),
      roleRef: roleRefField('ClusterRole'),
    }),
    [`${R}RoleRef`]: def(
      'The role a binding grants.',
      {
        apiGroup: f.str(1, 'API group of the role: rbac.authorization.k8s.io (the default).'),
        kind: f.str(2, 'Role or ClusterRole.'),
        name: f.str(3, 'Name of the role.'),
      },
      { mapType: 'atomic' },
    ),
    [`${R}Subject`]: def(
      'Who a binding grants a role to: a user, a group or a service account.',
      {
        kind: f.str(1, 'User, Group or ServiceAccount.'),
        apiGroup: f.str(2, 'rbac.authorization.k8s.io for users and groups (the default), empty for service accounts.'),
        name: f.str(3, 'Name of the user, group or service account.'),
        namespace: f.str(4, 'Namespace of a service account; the binding namespace when empty in a RoleBinding.'),
      },
      { mapType: 'atomic' },
    ),
  },
};
