// What the nested runtime holds for a pod: its containers grouped by pod container name, newest
// attempt first, read from Docker's labels and inspect answers.
import type { ContainerInspect, ContainerSummary, DockerApi } from './docker-api.js';
import { CONTAINER_KIND, CONTAINER_NAME, POD_IP, RESTART_COUNT, SANDBOX_NAME, SPEC_HASH } from './labels.js';
import type { ContainerRecord } from './pod-status.js';

/** One container of a pod with what Docker says about it. */
export interface Attempt {
  summary: ContainerSummary;
  record: ContainerRecord;
  kind: string;
  specHash?: string;
}

/** A pod's containers on the node. */
export interface PodRecords {
  /** Pod container name (SANDBOX_NAME for the sandbox) → attempts, newest first. */
  byName: Map<string, Attempt[]>;
  all: ContainerSummary[];
}

const zeroTime = (t: string | undefined) => (t && !t.startsWith('0001-') ? t.replace(/\.\d+Z$/, 'Z') : undefined);

/** A ContainerRecord from Docker's inspect answer. */
export function recordOf(info: ContainerInspect, attempt: number): ContainerRecord {
  const s = info.State;
  const created = s.Status === 'created';
  return {
    id: info.Id,
    attempt,
    running: s.Running && !s.Restarting,
    // A container that never started (its start failed) counts as failed.
    exitCode: created ? s.ExitCode || 128 : s.ExitCode,
    oomKilled: s.OOMKilled,
    startedAt: zeroTime(s.StartedAt),
    finishedAt: zeroTime(s.FinishedAt) ?? (created ? zeroTime(info.Created) : undefined),
    image: info.Config.Image,
    imageId: `docker://${info.Image}`,
  };
}

/** Reads pods' containers, caching inspect answers of containers that can no longer change. */
export class RecordReader {
  private readonly finished = new Map<string, ContainerInspect>();

  constructor(private readonly docker: DockerApi) {}

  /** The containers of the pod with uid `uid`, from one list call and the inspects they need. */
  async read(summaries: ContainerSummary[]): Promise<PodRecords> {
    const byName = new Map<string, Attempt[]>();
    for (const summary of summaries) {
      const name = summary.Labels[CONTAINER_NAME] ?? '';
      const attempt = Number(summary.Labels[RESTART_COUNT] ?? 0);
      const info = await this.inspect(summary);
      if (!info) continue;
      const list = byName.get(name) ?? [];
      list.push({ summary, record: recordOf(info, attempt), kind: summary.Labels[CONTAINER_KIND] ?? (name === SANDBOX_NAME ? 'sandbox' : 'app'), specHash: summary.Labels[SPEC_HASH] });
      byName.set(name, list);
    }
    for (const list of byName.values()) list.sort((a, b) => b.record.attempt - a.record.attempt || b.summary.Created - a.summary.Created);
    return { byName, all: summaries };
  }

  private async inspect(summary: ContainerSummary): Promise<ContainerInspect | undefined> {
    const cached = this.finished.get(summary.Id);
    if (cached && summary.State === 'exited') return cached;
    try {
      const info = await this.docker.inspectContainer(summary.Id);
      if (info.State.Status === 'exited' || info.State.Status === 'dead') this.finished.set(summary.Id, info);
      return info;
    } catch {
      // Removed between list and inspect.
      return undefined;
    }
  }

  /** Forgets cached answers of containers that were removed. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.finished.delete(id);
  }

  /** The pod IP of a sandbox the agent wired itself, from its label (empty for other sandboxes). */
  static sandboxIp(summary: { Labels: Record<string, string> }): string {
    return summary.Labels[POD_IP] ?? '';
  }

  /** The address Docker gave a container it networked (sandboxes made by earlier agents). */
  static dockerIp(info: ContainerInspect): string {
    return info.NetworkSettings.IPAddress || Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress || '';
  }
}
