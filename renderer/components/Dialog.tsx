// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert, the
// focus moves in (to the element marked data-autofocus, else the first control), Tab and Shift+Tab
// cycle inside, Escape closes it, and the focus goes back to where it was when it opened.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const TABBABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last (the browser would leave for its own UI). */
function trapTab(e: KeyboardEvent<HTMLDialogElement>) {
  if (e.key !== 'Tab') return;
  const stops = [...e.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.getClientRects().length > 0);
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!first || !last) return;
  const at = document.activeElement;
  if (e.shiftKey && (at === first || !e.currentTarget.contains(at))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (at === last || !e.currentTarget.contains(at))) {
    e.preventDefault();
    first.focus();
  }
}

/** A modal titled `title`; `onClose` runs on Escape and on the close button. A child with data-autofocus gets the focus first. */
export function Dialog({ title, onClose, children, testId }: { title: string; onClose(): void; children: ReactNode; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (d && !d.open) d.showModal();
    d?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      d?.close();
      // Back to the control that opened the dialog, if it is still on the page (a deleted row's button is not).
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      data-testid={testId}
      onKeyDown={trapTab}
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
        <button type="button" data-autofocus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" data-testid="confirm-button" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? 'Working…' : props.confirmLabel}
        </button>
      </footer>
    </Dialog>
  );
}
