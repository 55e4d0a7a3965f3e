// The words shown instead of (or above) a table: loading, failing, empty. Never a blank area.
import type { WatchSnapshot } from '../hooks/watch-store';

/** A status line for a watched list of `what` ("pods in default"). */
export function ListStatus({ snapshot, what }: { snapshot: WatchSnapshot; what: string }) {
  if (snapshot.phase === 'failing') {
    return (
      <p role="alert" className="error-text" data-testid="list-error">
        Could not load {what}: {snapshot.error}. Retrying by itself…
        {snapshot.listed && ' (showing the last known list)'}
      </p>
    );
  }
  if (!snapshot.listed) {
    return (
      <p className="empty" role="status" data-testid="list-loading">
        Loading {what}…
      </p>
    );
  }
  if (snapshot.items.length === 0) {
    return (
      <p className="empty" data-testid="list-empty">
        No {what}.
      </p>
    );
  }
  return null;
}
