/**
 * The message bar under the top bar: errors (what happened and what to do), notices, and the
 * connection banner in browser mode. One banner at a time says a thing: while the connection is
 * gone, calls that fail for that reason and a run it cut short are told inside the connection
 * banner, not in a second one, and earlier notices give way to it.
 */
import { CONNECTION_ERRORS, isConnectionError } from '../../api/client.js';
import { useAppStore } from '../../store/index.js';

/** The message bar; empty when there is nothing to say. */
export function MessageBar() {
  const error = useAppStore((s) => s.error);
  const notice = useAppStore((s) => s.notice);
  const connection = useAppStore((s) => s.connection);
  const runLost = useAppStore((s) => s.runLostToConnection);
  const lost = connection === 'unreachable' || connection === 'restarted';
  const folded = lost && error !== null && isConnectionError(error);
  return (
    <>
      {lost && (
        <div className={`banner ${connection === 'restarted' ? 'banner-error' : 'banner-warn'}`} role="alert">
          <span>
            {CONNECTION_ERRORS[connection].message}
            {runLost ? ' The run that was going stopped with it; the results shown are from before.' : ''}
            {folded ? ' What you just asked for was not sent.' : ''}
          </span>
        </div>
      )}
      {error && !folded && (
        <div className="banner banner-error" role="alert">
          <span>{error.message}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => useAppStore.getState().showError(null)}>
            ×
          </button>
        </div>
      )}
      {!error && !lost && notice && (
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
