// CustomResourceDefinitions as the resource view uses them: each CRD becomes a kind descriptor
// (where its objects live in the REST API, which version to watch, its table columns from the
// version's additionalPrinterColumns), and the CRDs themselves get columns of their own. Pure.
import type { KindInfo } from '../../api/kinds';
import type { Condition, KubeObject } from '../../api/types';
import { age } from '../../format/age';
import { ageColumn, nameColumn, none, type Column } from '../../format/column';
import { evalJsonPath, JsonPathError } from './json-path';

/** One additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  /** integer, number, string, boolean or date. */
  type: string;
  format?: string;
  description?: string;
  /** 0 = shown by `kubectl get`; more = only with -o wide. */
  priority?: number;
  jsonPath: string;
}

/** One version of a CRD. */
export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  additionalPrinterColumns?: PrinterColumn[];
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition (the fields the dashboard reads). */
export interface CustomResourceDefinition extends KubeObject {
  spec?: {
    group?: string;
    names?: { plural?: string; singular?: string; kind?: string; shortNames?: string[] };
    scope?: 'Namespaced' | 'Cluster';
    versions?: CrdVersion[];
  };
  status?: { conditions?: Condition[]; storedVersions?: string[] };
}

/** A CRD as a kind of the resource view. */
export interface CrdKind {
  /** Route key and sidebar id: "<plural>.<group>" (the CRD's name). */
  key: string;
  group: string;
  /** The version watched: the storage version when served, else the first served one. */
  version: string;
  kind: KindInfo;
  /** Name, the version's printer columns, Age. */
  columns: Column[];
}

/** The version a CRD's objects are read at, or undefined when it serves none. */
export function watchedVersion(crd: CustomResourceDefinition): CrdVersion | undefined {
  const served = (crd.spec?.versions ?? []).filter((v) => v.served !== false && v.name);
  return served.find((v) => v.storage) ?? served[0];
}

/** A printer column's value in kubectl's format for its type: dates as ages, "<none>" when missing or of another type. */
export function formatPrinterValue(type: string, value: unknown, now: number): string {
  if (value === undefined || value === null) return '<none>';
  switch (type) {
    case 'date':
      return typeof value === 'string' ? (Number.isNaN(Date.parse(value)) ? value : age(value, now)) : '<none>';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? String(value) : '<none>';
    case 'number':
      return typeof value === 'number' ? String(value) : '<none>';
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : '<none>';
    default:
      if (typeof value === 'string') return none(value);
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** The column of one additionalPrinterColumns entry (a path it cannot read shows "<none>"). */
export function printerColumn(pc: PrinterColumn): Column {
  const read = (o: KubeObject): unknown => {
    try {
      return evalJsonPath(o, pc.jsonPath)[0];
    } catch (err) {
      if (err instanceof JsonPathError) return undefined;
      throw err;
    }
  };
  return { header: pc.name, live: pc.type === 'date', text: (o, now) => formatPrinterValue(pc.type, read(o), now) };
}

const isAge = (pc: PrinterColumn) => pc.name.toLowerCase() === 'age';

/** Name, then the printer columns of `version` (priority order kept), then Age unless a printer column already is one. */
export function crdColumns(version: CrdVersion): Column[] {
  const printers = version.additionalPrinterColumns ?? [];
  return [nameColumn, ...printers.map(printerColumn), ...(printers.some(isAge) ? [] : [ageColumn])];
}

/** The kind descriptor of a CRD, or undefined while it has no group, names or served version. */
export function crdKind(crd: CustomResourceDefinition): CrdKind | undefined {
  const group = crd.spec?.group;
  const plural = crd.spec?.names?.plural;
  const kindName = crd.spec?.names?.kind;
  const version = watchedVersion(crd);
  if (!group || !plural || !kindName || !version) return undefined;
  return {
    key: `${plural}.${group}`,
    group,
    version: version.name,
    kind: { plural, kind: kindName, apiVersion: `${group}/${version.name}`, namespaced: crd.spec?.scope !== 'Cluster', label: kindName, section: 'Custom resources' },
    columns: crdColumns(version),
  };
}

/** The descriptors of `crds`, by group then kind; CRDs being deleted are left out. */
export function crdKinds(crds: readonly CustomResourceDefinition[]): CrdKind[] {
  return crds
    .filter((c) => !c.metadata.deletionTimestamp)
    .map(crdKind)
    .filter((k): k is CrdKind => k !== undefined)
    .sort((a, b) => a.group.localeCompare(b.group) || a.kind.kind.localeCompare(b.kind.kind));
}

/** The descriptors grouped by API group, groups in name order. */
export function groupCrdKinds(kinds: readonly CrdKind[]): { group: string; kinds: CrdKind[] }[] {
  const groups = new Map<string, CrdKind[]>();
  for (const k of kinds) groups.set(k.group, [...(groups.get(k.group) ?? []), k]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, ks]) => ({ group, kinds: ks }));
}

/** Whether a route's kind names a CRD ("<plural>.<group>": built-in kinds have no dot). */
export const isCrdKey = (routeKind: string): boolean => routeKind.includes('.');

const served = (crd: CustomResourceDefinition) => (crd.spec?.versions ?? []).filter((v) => v.served !== false).map((v) => v.name);

/** `kubectl get crd`-like columns, with the group, served versions and scope spelled out. */
export const CRD_COLUMNS: readonly Column<CustomResourceDefinition>[] = [
  nameColumn,
  { header: 'Group', text: (c) => none(c.spec?.group) },
  { header: 'Versions', text: (c) => none(served(c).join(',')) },
  { header: 'Scope', text: (c) => none(c.spec?.scope) },
  { header: 'Kind', text: (c) => none(c.spec?.names?.kind) },
  ageColumn,
];
