// RBAC authorization: Roles and ClusterRoles grant rules, bindings give them to users, groups and
// service accounts. A watch-fed cache of the four kinds keeps decisions off etcd.
import type { Storage, StoredObject } from '../store/storage.js';

/** Who is asking. */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** What is asked: a verb on a resource (or a non-resource path). */
export interface Attributes {
  verb: string;
  /** Resource requests. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests (/healthz, /api…). */
  path?: string;
}

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface Binding {
  metadata: { name: string; namespace?: string };
  roleRef: { kind: string; name: string };
  subjects?: Subject[];
}
interface Role {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);

/** True when `rule` allows the request. */
export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path!.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.apiGroup ?? '')) return false;
  const wanted = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
  const resourceOk = (rule.resources ?? []).some((r) => r === '*' || r === wanted || (a.subresource && r === `*/${a.subresource}`));
  if (!resourceOk) return false;
  if (rule.resourceNames?.length) return a.name !== undefined && rule.resourceNames.includes(a.name);
  return true;
}

/** True when a binding's subject is this user. */
function subjectMatches(s: Subject, user: UserInfo, bindingNamespace?: string): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return user.name === `system:serviceaccount:${s.namespace ?? bindingNamespace ?? ''}:${s.name}`;
  return false;
}

type Kind = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';
const GROUP = 'rbac.authorization.k8s.io';

/** The RBAC objects, kept current by watches. */
export class RbacAuthorizer {
  private readonly objects: Record<Kind, Map<string, StoredObject>> = { roles: new Map(), clusterroles: new Map(), rolebindings: new Map(), clusterrolebindings: new Map() };
  private readonly watches: { cancel(): void }[] = [];
  private readonly synced: Promise<void>;

  constructor(storage: Storage) {
    const kinds = Object.keys(this.objects) as Kind[];
    this.synced = Promise.all(kinds.map((k) => this.follow(storage, k))).then(() => undefined);
  }

  /** Resolves once every kind has been listed. */
  ready(): Promise<void> {
    return this.synced;
  }

  stop(): void {
    for (const w of this.watches) w.cancel();
  }

  private follow(storage: Storage, kind: Kind): Promise<void> {
    return new Promise((resolve) => {
      const start = () => {
        const map = this.objects[kind];
        let first = true;
        const w = storage.watch(
          { resource: `${GROUP}/${kind}` },
          undefined,
          (e) => {
            const key = `${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`;
            if (e.type === 'DELETED') map.delete(key);
            else map.set(key, e.object);
            if (first) {
              first = false;
              resolve();
            }
          },
          () => {
            w.cancel();
            map.clear();
            setTimeout(start, 500).unref();
          },
        );
        this.watches.push(w);
        // An empty list delivers no events: consider it listed shortly after the watch starts.
        setTimeout(resolve, 200).unref();
      };
      start();
    });
  }

  private role(kind: string, name: string, namespace?: string): Role | undefined {
    if (kind === 'ClusterRole') return this.objects.clusterroles.get(`/${name}`) as Role | undefined;
    return this.objects.roles.get(`${namespace}/${name}`) as Role | undefined;
  }

  /** A role's rules, including those an aggregating ClusterRole collects from its selected roles. */
  private rulesOf(role: Role | undefined, seen = new Set<string>()): PolicyRule[] {
    if (!role || seen.has(role.metadata.name)) return [];
    seen.add(role.metadata.name);
    const own = role.rules ?? [];
    const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (selectors.length === 0) return own;
    const aggregated: PolicyRule[] = [];
    for (const cr of this.objects.clusterroles.values()) {
      const labels = (cr.metadata.labels as Record<string, string> | undefined) ?? {};
      if (selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v))) aggregated.push(...this.rulesOf(cr as unknown as Role, seen));
    }
    return [...own, ...aggregated];
  }

  /** Every rule that applies to `user` in `namespace` (cluster-wide rules always apply). */
  rulesFor(user: UserInfo, namespace?: string): PolicyRule[] {
    const out: PolicyRule[] = [];
    for (const b of this.objects.clusterrolebindings.values() as Iterable<unknown> as Iterable<Binding>) {
      if ((b.subjects ?? []).some((s) => subjectMatches(s, user))) out.push(...this.rulesOf(this.role('ClusterRole', b.roleRef.name)));
    }
    if (namespace) {
      for (const b of this.objects.rolebindings.values() as Iterable<unknown> as Iterable<Binding>) {
        if (b.metadata.namespace !== namespace || !(b.subjects ?? []).some((s) => subjectMatches(s, user, namespace))) continue;
        out.push(...this.rulesOf(this.role(b.roleRef.kind, b.roleRef.name, namespace)));
      }
    }
    return out;
  }

  /** Whether `user` may do `a`; members of system:masters may do anything. */
  authorize(user: UserInfo, a: Attributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    return this.rulesFor(user, a.namespace).some((r) => ruleAllows(r, a));
  }
}

/** The message of a 403, as Kubernetes words it. */
export function forbiddenMessage(user: UserInfo, a: Attributes): string {
  if (a.path !== undefined) return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const what = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  // The object named is the resource's (pods "web" for pods/exec), as in Kubernetes' Forbidden errors.
  const named = a.name ? `${a.resource} "${a.name}"` : a.resource;
  const scope = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  return `${named} is forbidden: User "${user.name}" cannot ${a.verb} resource "${what}" in API group "${a.apiGroup ?? ''}"${scope}`;
}
