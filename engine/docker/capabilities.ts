/** Linux capability names by bit number (see capabilities(7)). */
const CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

/**
 * The known capabilities missing from a bounding set given as the hex mask of /proc/PID/status
 * (`CapBnd:`). These are what `CapAdd: ALL` must drop for a container to start on that host.
 */
export function missingCapabilities(capBndHex: string): string[] {
  const mask = BigInt(`0x${capBndHex.trim()}`);
  return CAPS.filter((_, bit) => (mask & (1n << BigInt(bit))) === 0n);
}

/** Extracts the CapBnd hex mask from the text of /proc/PID/status. */
export function boundingSetFromStatus(status: string): string {
  const m = /^CapBnd:\s*([0-9a-f]+)\s*$/im.exec(status);
  if (!m?.[1]) throw new Error('no CapBnd line in process status');
  return m[1];
}
