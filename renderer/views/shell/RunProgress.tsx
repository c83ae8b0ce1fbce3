/**
 * The running profile's progress where the user looks: a strip across the top of the main area,
 * above the results, with the phase, the percentage, the time left and Cancel. (The run panel sits
 * at the bottom of the sidebar, below the fold on a first launch.)
 */
import { useAppStore } from '../../store/index.js';

/** The strip; nothing when no profile is running. */
export function RunProgressStrip() {
  const progress = useAppStore((s) => s.progress);
  const runId = useAppStore((s) => s.runId);
  const model = useAppStore((s) => s.summary?.fileName ?? null);
  if (!progress) return null;
  const percent = Math.round(progress.fraction * 100);
  const left = progress.etaMs !== null ? formatTimeLeft(progress.etaMs) : 'estimating time left';
  return (
    <div
      className="run-strip"
      role="progressbar"
      aria-label="Profile progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%, ${progress.message}, ${left}`}
    >
      <div className="run-strip-text">
        <span className="run-strip-title">
          {progress.phase === 'measuring' ? 'Measuring this machine' : `Profiling${model ? ` ${model}` : ''}`}
        </span>
        <span className="run-strip-message">{progress.message}</span>
        <span className="run-strip-numbers">
          <strong>{percent}%</strong> · {left}
        </span>
        <button
          type="button"
          className="run-strip-cancel"
          disabled={runId === null}
          onClick={() => void useAppStore.getState().cancel()}
          title="Esc"
        >
          Cancel run
        </button>
      </div>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** "under 1 s left", "about 42 s left", "about 3 min 5 s left", "about 25 min left". */
export function formatTimeLeft(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return 'under 1 s left';
  if (s < 60) return `about ${s} s left`;
  const min = Math.floor(s / 60);
  return min >= 10 || s % 60 === 0 ? `about ${min} min left` : `about ${min} min ${s % 60} s left`;
}
