import type { ClusterPki } from '../../certs/cluster-pki.js';
import { checkInterrupt } from '../../errors.js';
import type { NodeProvider, NodeSpec } from '../../docker/provider.js';
import type { Logger } from '../../log/logger.js';
import { step, type Progress } from '../../log/progress.js';
import type { ControlPlaneSettings } from '../node-spec.js';

/** Shared state of one cluster creation, filled in as the actions run. */
export interface CreateContext {
  cluster: string;
  nodeCount: number;
  apiPort?: number;
  /** The control plane's settings (eviction time, HPA scale-down delay). */
  settings: ControlPlaneSettings;
  /** Epoch ms by which the nodes must be ready. */
  deadline: number;
  provider: NodeProvider;
  progress: Progress;
  log: Logger;
  /** Finds or builds the node image; returns its tag. */
  nodeImage: () => Promise<string>;
  image?: string;
  subnet?: string;
  /** Where the cluster's certificates are kept on the host. */
  pkiDir: string;
  pki?: ClusterPki;
  specs: NodeSpec[];
  /** Fires when the user interrupts: the pipeline stops before its next action. */
  signal?: AbortSignal;
}

/** One step of creating a cluster. */
export interface Action {
  title: string;
  execute(ctx: CreateContext): Promise<void>;
}

/** Runs the actions in order, each as a progress step; stops at the first failure. */
export async function runActions(actions: Action[], ctx: CreateContext): Promise<void> {
  for (const action of actions) {
    checkInterrupt(ctx.signal);
    await step(ctx.progress, action.title, () => action.execute(ctx));
  }
}

/** Returns a field the earlier actions must have set, or throws (a wiring bug, not a user error). */
export function required<K extends keyof CreateContext>(ctx: CreateContext, key: K): NonNullable<CreateContext[K]> {
  const value = ctx[key];
  if (value === undefined || value === null) throw new Error(`create action ran before ${String(key)} was set`);
  return value as NonNullable<CreateContext[K]>;
}
