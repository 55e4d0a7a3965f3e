// A degraded-state banner: what is wrong, what to do, and that it clears by itself.
import type { ReactNode } from 'react';

/** One banner; `kind` sets its colour and role (alert for errors, status for notices). */
export function Banner({ kind, title, children, testId }: { kind: 'error' | 'warning'; title: string; children?: ReactNode; testId: string }) {
  return (
    <div className={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <strong>{title}</strong>
      {children && <span className="banner-body"> {children}</span>}
    </div>
  );
}
