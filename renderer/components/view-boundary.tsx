/**
 * Keeps one part of the window from taking the whole app down: a report that is valid JSON with a
 * damaged section (a column of the wrong type, a section emptied) threw while drawing and left a
 * blank page. The part that failed says so in one line; the rest of the window, the tabs and the
 * open button keep working, and the part is drawn again when what it shows changes.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What this part shows, for the message ("The Summary"). */
  readonly what: string;
  /** When any of these changes (another report, another tab), the part is drawn again. */
  readonly resetKeys: readonly unknown[];
  readonly children: ReactNode;
}

export class ViewBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.what} failed to draw:`, error, info.componentStack);
  }

  override componentDidUpdate(previous: Props): void {
    const changed =
      previous.resetKeys.length !== this.props.resetKeys.length ||
      previous.resetKeys.some((key, i) => !Object.is(key, this.props.resetKeys[i]));
    if (changed && this.state.error) this.setState({ error: null });
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="view-error" role="alert">
        <strong>{this.props.what} could not be drawn</strong> ({error.message}). The report may be damaged or made by
        another version of Strata; its other views may still work. Open another report or model, or run a profile.
      </div>
    );
  }
}
