/** Errors (what happened and what to do), notices, and the lost-connection banner. */
import { useAppStore } from '../../store/index.js';

/** The message bar under the top bar; empty when there is nothing to say. */
export function MessageBar() {
  const error = useAppStore((s) => s.error);
  const notice = useAppStore((s) => s.notice);
  const connection = useAppStore((s) => s.connection);
  return (
    <>
      {connection === 'reconnecting' && (
        <div className="banner banner-warn" role="status">
          Lost the connection to Strata's engine; reconnecting… Check that <code>strata serve</code> is still running.
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          <span>{error.message}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => useAppStore.getState().showError(null)}>
            ×
          </button>
        </div>
      )}
      {!error && notice && (
        <div className="banner banner-info" role="status">
          <span>{notice}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => useAppStore.getState().showNotice(null)}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
