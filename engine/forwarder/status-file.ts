// The forwarder's files beside the cluster's other host-side state, and its small JSON status
// file: what it forwards, which host ports it could not take, its last error. `kubelab status`
// and the desktop app read it; only the forwarder writes it.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterDir } from '../config/paths.js';

/** Where one cluster's forwarder keeps its pid, status and log. */
export interface ForwarderFiles {
  dir: string;
  pidFile: string;
  statusFile: string;
  logFile: string;
}

/** The forwarder's files for `cluster` under kubelab's home. */
export function forwarderFiles(home: string, cluster: string): ForwarderFiles {
  const dir = clusterDir(home, cluster);
  return { dir, pidFile: join(dir, 'forwarder.pid'), statusFile: join(dir, 'forwarder.json'), logFile: join(dir, 'forwarder.log') };
}

/** A host port being forwarded. */
export interface ForwardedPort {
  hostPort: number;
  nodePort: number;
  service: string;
  portName: string;
  via: 'NodePort' | 'LoadBalancer';
}

/** A host port the forwarder wants but cannot listen on (retried every few seconds). */
export interface FailedPort {
  hostPort: number;
  service: string;
  error: string;
  since: string;
}

/** What the status file holds. */
export interface ForwarderStatus {
  pid: number;
  cluster: string;
  startedAt: string;
  updatedAt: string;
  /** Whether the Services are being followed (false while the apiserver cannot be reached). */
  watching: boolean;
  forwarded: ForwardedPort[];
  failed: FailedPort[];
  lastError?: { message: string; at: string };
}

/** The file's text (stable order, so a rewrite without change is byte-identical apart from updatedAt). */
export function formatStatus(s: ForwarderStatus): string {
  const byPort = <T extends { hostPort: number }>(list: T[]) => [...list].sort((a, b) => a.hostPort - b.hostPort);
  return `${JSON.stringify({ ...s, forwarded: byPort(s.forwarded), failed: byPort(s.failed) }, null, 2)}\n`;
}

/** Reads the file's text; undefined when it is not a status file (torn, foreign, empty). */
export function parseStatus(text: string): ForwarderStatus | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = v as Partial<ForwarderStatus> | null;
  if (!s || typeof s !== 'object' || typeof s.pid !== 'number' || typeof s.cluster !== 'string' || !Array.isArray(s.forwarded) || !Array.isArray(s.failed)) return undefined;
  const portsOk = (list: unknown[]) => list.every((p) => typeof (p as { hostPort?: unknown }).hostPort === 'number');
  if (!portsOk(s.forwarded) || !portsOk(s.failed)) return undefined;
  return s as ForwarderStatus;
}

/** Writes the status file atomically (a reader never sees half of it). */
export async function writeStatus(file: string, s: ForwarderStatus): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, formatStatus(s));
  await rename(tmp, file);
}

/** The status file's contents, or undefined when it is missing or unreadable. */
export async function readStatus(file: string): Promise<ForwarderStatus | undefined> {
  try {
    return parseStatus(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
