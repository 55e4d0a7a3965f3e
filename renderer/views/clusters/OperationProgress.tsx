// Live progress of one cluster operation (create/start/stop/delete, a node's stop/start): one line per step.
import type { OperationState } from '../../../engine/dashboard/contract';
import { useOperation } from '../../hooks/use-operation';
import { elapsedText, stepLines } from './operation-steps';

/** An operation being followed, as the clusters view keeps it. */
export interface TrackedOperation {
  id: string;
  kind: OperationState['kind'];
  cluster: string;
  /** The node of a node-stop/node-start. */
  node?: string;
}

/** What an operation does, in words ("stop dev", "stop node dev-worker2 of dev"). */
export function operationTitle(op: Pick<TrackedOperation, 'kind' | 'cluster' | 'node'>): string {
  if (op.kind === 'node-stop' || op.kind === 'node-start') return `${op.kind === 'node-stop' ? 'stop' : 'start'} node ${op.node ?? '?'} of ${op.cluster}`;
  return `${op.kind} ${op.cluster}`;
}

const STATE_TEXT = { running: 'in progress', succeeded: 'done', failed: 'failed' } as const;
const MARK = { running: '…', done: '✓', failed: '✗' } as const;

/** The steps of `op` as they happen; `onDismiss` removes the panel once it ended. */
export function OperationProgress({ op, onDismiss }: { op: TrackedOperation; onDismiss(): void }) {
  const view = useOperation(op.id);
  const lines = stepLines(view.steps);
  return (
    <section className={`operation operation-${view.state}`} aria-label={operationTitle(op)} data-testid="operation" data-state={view.state}>
      <header className="operation-header">
        <h3>
          {operationTitle(op)}: <span className={`tone tone-${view.state === 'failed' ? 'bad' : view.state === 'succeeded' ? 'ok' : 'progress'}`}>{STATE_TEXT[view.state]}</span>
        </h3>
        {view.state !== 'running' && (
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </header>
      {lines.length === 0 && view.state === 'running' && <p className="muted">Waiting for the first step…</p>}
      <ol className="steps" aria-live="polite">
        {lines.map((l, i) => (
          <li key={`${l.step}-${i}`} className={`step step-${l.state}`} data-testid="operation-step" data-state={l.state}>
            <span className="step-mark" aria-hidden="true">
              {MARK[l.state]}
            </span>
            <span className="step-name">{l.step}</span>
            <span className="visually-hidden">({l.state})</span>
            {l.message && <span className="step-message"> — {l.message}</span>}
            {l.elapsedMs !== undefined && <span className="step-time"> {elapsedText(l.elapsedMs)}</span>}
          </li>
        ))}
      </ol>
      {view.error && (
        <p role="alert" className="error-text" data-testid="operation-error">
          {view.error}
        </p>
      )}
    </section>
  );
}
