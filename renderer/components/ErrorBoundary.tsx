// Catches a rendering error so the page shows what broke and a way on, never a blank screen.
import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Renders `children`, or the error with Retry / Reload buttons once one of them throws. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    // The browser console is the renderer's log.
    console.error('kubelab dashboard: view failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="view" role="alert" data-testid="view-crashed">
        <h1>This view failed</h1>
        <p className="error-text">{this.state.error.message}</p>
        <p>
          <button type="button" onClick={() => this.setState({ error: undefined })}>
            Retry
          </button>{' '}
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
        </p>
      </div>
    );
  }
}
