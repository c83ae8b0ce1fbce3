/** Run settings: EPs (unavailable ones disabled, with the reason), threads, optimization, runs,
 * symbolic dims, input values, seed; then Run / Cancel with progress. */
import { formatMs } from '../../../shared/format.js';
import type { EpName, GraphOptimizationLevel, InputSource } from '../../../shared/plan.js';
import { useAppStore } from '../../store/index.js';

function NumberField({ label, value, min, onChange, title }: { label: string; value: number; min: number; onChange: (v: number) => void; title?: string }) {
  return (
    <label className="field" title={title}>
      <span>{label}</span>
      <input
        type="number"
        min={min}
        value={value}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isInteger(v) && v >= min) onChange(v);
        }}
      />
    </label>
  );
}

function inputValue(source: InputSource | undefined): string {
  if (!source || source.kind === 'random') return 'random';
  if (source.kind === 'zeros') return 'zeros';
  if (source.kind === 'scalar') return String(source.value);
  return source.path;
}

/** The run panel. */
export function RunSettings() {
  const summary = useAppStore((s) => s.summary);
  const plan = useAppStore((s) => s.plan);
  const eps = useAppStore((s) => s.eps);
  const runId = useAppStore((s) => s.runId);
  const progress = useAppStore((s) => s.progress);
  const { setPlan, start, cancel } = useAppStore.getState();
  const running = runId !== null || progress !== null;
  const symbols = [...new Set((summary?.inputs ?? []).flatMap((i) => i.dims ?? []).filter((d): d is string => typeof d === 'string'))];
  const unnamed = (summary?.inputs ?? []).filter((i) => (i.dims ?? []).some((d) => d === null || (typeof d === 'number' && d <= 0)));

  const usable = eps.length ? eps.filter((ep) => ep.usable) : [{ name: 'cpu' as EpName, label: 'CPU', usable: true, reason: null }];
  const unavailable = eps.filter((ep) => !ep.usable);

  const toggleEp = (name: EpName, on: boolean) => {
    const next = on ? [...plan.eps.filter((e) => e !== name), name] : plan.eps.filter((e) => e !== name);
    // CPU last: it is the fallback for nodes other EPs cannot run.
    setPlan({ eps: next.sort((a, b) => (a === 'cpu' ? 1 : b === 'cpu' ? -1 : 0)) });
  };

  return (
    <section className="panel" aria-label="Run settings">
      <h2>Run</h2>
      <fieldset className="eps">
        <legend>Execution providers</legend>
        {usable.map((ep) => (
          <label key={ep.name} className="ep">
            <input type="checkbox" disabled={running} checked={plan.eps.includes(ep.name)} onChange={(e) => toggleEp(ep.name, e.target.checked)} />
            <span>{ep.label}</span>
          </label>
        ))}
        {unavailable.length > 0 && (
          <details>
            <summary>{unavailable.length} not available here</summary>
            {unavailable.map((ep) => (
              <label key={ep.name} className="ep disabled" title={ep.reason ?? ''}>
                <input type="checkbox" disabled checked={false} aria-describedby={`ep-reason-${ep.name}`} />
                <span>{ep.label}</span>
                <span className="ep-reason" id={`ep-reason-${ep.name}`}>{ep.reason}</span>
              </label>
            ))}
          </details>
        )}
      </fieldset>
      <div className="grid2">
        <NumberField label="Threads" title="Intra-op threads; 0 = one per core" value={plan.intraOpThreads} min={0} onChange={(v) => setPlan({ intraOpThreads: v })} />
        <label className="field">
          <span>Optimization</span>
          <select value={plan.graphOptimizationLevel} onChange={(e) => setPlan({ graphOptimizationLevel: e.target.value as GraphOptimizationLevel })}>
            <option value="disabled">disabled</option>
            <option value="basic">basic</option>
            <option value="extended">extended</option>
            <option value="all">all</option>
          </select>
        </label>
        <NumberField label="Warm-up runs" value={plan.warmupRuns} min={0} onChange={(v) => setPlan({ warmupRuns: v })} />
        <NumberField label="Timed runs" value={plan.timedRuns} min={1} onChange={(v) => setPlan({ timedRuns: v })} />
        <NumberField label="Profiled runs" value={plan.profiledRuns} min={1} onChange={(v) => setPlan({ profiledRuns: v })} />
        <NumberField label="Seed" value={plan.seed} min={0} onChange={(v) => setPlan({ seed: v })} />
      </div>
      {symbols.length > 0 && (
        <fieldset>
          <legend>Symbolic dims</legend>
          <div className="grid2">
            {symbols.map((symbol) => (
              <NumberField key={symbol} label={symbol} value={plan.dims[symbol] ?? 1} min={1} onChange={(v) => setPlan({ dims: { ...plan.dims, [symbol]: v } })} />
            ))}
          </div>
        </fieldset>
      )}
      {unnamed.length > 0 && (
        <fieldset>
          <legend>Input shapes</legend>
          {unnamed.map((input) => (
            <label key={input.name} className="field wide">
              <span>{input.name}</span>
              <input
                type="text"
                placeholder={(input.dims ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : '?')).join('x')}
                defaultValue={plan.shapes[input.name]?.join('x') ?? ''}
                aria-label={`Shape of ${input.name}`}
                onChange={(e) => {
                  const dims = e.target.value.split(/[x×,]/).map(Number);
                  const shapes = { ...plan.shapes };
                  if (e.target.value.trim() && dims.every((d) => Number.isInteger(d) && d > 0)) shapes[input.name] = dims;
                  else delete shapes[input.name];
                  setPlan({ shapes });
                }}
              />
            </label>
          ))}
        </fieldset>
      )}
      {summary && summary.inputs.length > 0 && (
        <fieldset>
          <legend>Input values</legend>
          {summary.inputs.map((input) => (
            <label key={input.name} className="field wide">
              <span>{input.name}</span>
              <input
                type="text"
                list="input-value-choices"
                aria-label={`Value of ${input.name}`}
                defaultValue={inputValue(plan.inputs[input.name])}
                onChange={(e) => {
                  const text = e.target.value.trim();
                  const inputs = { ...plan.inputs };
                  if (text === '' || text === 'random') delete inputs[input.name];
                  else if (text === 'zeros') inputs[input.name] = { kind: 'zeros' };
                  else if (Number.isFinite(Number(text))) inputs[input.name] = { kind: 'scalar', value: Number(text) };
                  else return;
                  setPlan({ inputs });
                }}
              />
            </label>
          ))}
          <datalist id="input-value-choices">
            <option value="random" />
            <option value="zeros" />
          </datalist>
        </fieldset>
      )}
      <div className="run-actions">
        <button type="button" className="primary" disabled={!summary || running} onClick={() => void start()} aria-label="Run profile" title="Ctrl+Enter">
          Run profile
        </button>
        <button type="button" disabled={!running} onClick={() => void cancel()} aria-label="Cancel" title="Esc">
          Cancel
        </button>
      </div>
      {progress && (
        <div className="progress" role="progressbar" aria-label="Profile progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)}>
          <div className="progress-track">
            <div className="progress-fill" style={{ width: `${Math.round(progress.fraction * 100)}%` }} />
          </div>
          <div className="progress-text">
            <span>{progress.message}</span>
            <span>{progress.etaMs !== null ? `~${formatMs(progress.etaMs)} left` : ''}</span>
          </div>
        </div>
      )}
    </section>
  );
}
