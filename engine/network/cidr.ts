/** An IPv4 prefix: network address as an unsigned 32-bit number and its length. */
export interface Cidr {
  base: number;
  bits: number;
}

/** Parses dotted-quad IPv4 into an unsigned number; throws on anything else. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`invalid IPv4 address "${ip}"`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Formats an unsigned number as dotted-quad IPv4. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses "a.b.c.d/n" and normalises the base to the network address. */
export function parseCidr(text: string): Cidr {
  const [ip, len] = text.split('/');
  const bits = Number(len);
  if (ip === undefined || len === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new Error(`invalid CIDR "${text}"`);
  }
  const size = 2 ** (32 - bits);
  return { base: Math.floor(ipToInt(ip) / size) * size, bits };
}

/** Formats a Cidr as "a.b.c.d/n". */
export function formatCidr(c: Cidr): string {
  return `${intToIp(c.base)}/${c.bits}`;
}

/** Number of addresses in the prefix. */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.bits);
}

/** True when the two prefixes share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/** True when `ip` lies inside `c`. */
export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + cidrSize(c);
}
