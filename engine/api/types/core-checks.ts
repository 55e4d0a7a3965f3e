// Small checks and formatters the core/v1 kinds share: IP addresses, protocols, label sets.
import { isIPv4, isIPv6 } from 'node:net';
import { invalidValue, notSupported, type FieldError } from '../field-error.js';

/** Protocols a port may use. */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Errors for a port protocol at `field` (required, one of PROTOCOLS). */
export function protocolErrors(field: string, protocol: unknown): FieldError[] {
  if (protocol === undefined || protocol === '') return [{ reason: 'FieldValueRequired', field, message: 'Required value' }];
  return PROTOCOLS.includes(String(protocol)) ? [] : [notSupported(field, protocol, PROTOCOLS)];
}

/** True for an IPv4 or IPv6 address. */
export const isIP = (s: unknown): s is string => typeof s === 'string' && (isIPv4(s) || isIPv6(s));

/** The family of an address: IPv4, IPv6, or undefined. */
export const ipFamilyOf = (s: string): 'IPv4' | 'IPv6' | undefined => (isIPv4(s) ? 'IPv4' : isIPv6(s) ? 'IPv6' : undefined);

/** Errors for a value that must be an IP address. */
export function ipErrors(field: string, value: unknown): FieldError[] {
  return isIP(value) ? [] : [invalidValue(field, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** Errors for an endpoint address: a valid IP that is not unspecified, loopback or link-local. */
export function endpointIPErrors(field: string, ip: unknown): FieldError[] {
  const errs = ipErrors(field, ip);
  if (errs.length) return errs;
  const s = String(ip).toLowerCase();
  const why =
    s === '0.0.0.0' || s === '::'
      ? 'may not be unspecified (0.0.0.0)'
      : s.startsWith('127.') || s === '::1'
        ? 'may not be in the loopback range (127.0.0.0/8, ::1/128)'
        : s.startsWith('169.254.') || /^fe[89ab]/.test(s)
          ? 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'
          : s.startsWith('224.0.0.') || s.startsWith('ff02:')
            ? 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'
            : undefined;
  return why ? [invalidValue(field, ip, why)] : [];
}

/** Errors for a CIDR such as 10.244.0.0/24 or fd00::/64. */
export function cidrErrors(field: string, value: unknown): FieldError[] {
  const [ip, bits, extra] = String(value).split('/');
  const max = ip && isIPv4(ip) ? 32 : ip && isIPv6(ip) ? 128 : -1;
  const n = Number(bits);
  if (extra !== undefined || max < 0 || !/^\d+$/.test(bits ?? '') || n > max) {
    return [invalidValue(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
  }
  return [];
}

/** A label map as `kubectl` prints it: sorted `k=v` pairs joined by commas, or <none>. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries((labels as Record<string, string> | undefined) ?? {});
  if (entries.length === 0) return '<none>';
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** An object field read as a record (empty when absent). */
export const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** An object field read as a list of records (empty when absent). */
export const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(rec) : []);
