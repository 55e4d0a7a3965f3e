// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert (focus
// stays inside) and Escape closes it.
import { useEffect, useRef, type ReactNode } from 'react';

/** A modal titled `title`; `onClose` runs on Escape and on the close button. */
export function Dialog({ title, onClose, children, testId }: { title: string; onClose(): void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** A yes/no question; Cancel has the focus first, so a destructive action is never the default. */
export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Dialog title={props.title} onClose={props.onCancel} testId="confirm-dialog">
      <div className="dialog-body">{props.message}</div>
      {props.error && (
        <p role="alert" className="error-text">
          {props.error}
        </p>
      )}
      <footer className="dialog-footer">
        <button type="button" autoFocus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" data-testid="confirm-button" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? 'Working…' : props.confirmLabel}
        </button>
      </footer>
    </Dialog>
  );
}
