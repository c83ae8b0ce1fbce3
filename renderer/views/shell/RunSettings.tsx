/** Run settings: EPs (unavailable ones disabled, with the reason), threads, optimization, runs,
 * symbolic dims, input values, seed; then Run / Cancel with progress. */
import { OPT_LEVELS, PLAN_LIMITS, type EpName, type GraphOptimizationLevel } from '../../../shared/plan.js';
import { useAppStore } from '../../store/index.js';
import { RunOn } from '../devices/RunOn.js';
import { NumberField, PlanTextField } from './plan-fields.js';
import { inputValue, parseInputValue, parseShape } from './run-fields.js';

// A field's range from the plan's one rule (shared/plan.ts), as the CLI and the API check it.
const limits = (field: keyof typeof PLAN_LIMITS) => ({ min: PLAN_LIMITS[field].min, max: PLAN_LIMITS[field].max });

/** The run panel. */
export function RunSettings() {
  const summary = useAppStore((s) => s.summary);
  const missing = useAppStore((s) => s.missingModel);
  const plan = useAppStore((s) => s.plan);
  const eps = useAppStore((s) => s.eps);
  const runId = useAppStore((s) => s.runId);
  const progress = useAppStore((s) => s.progress);
  const { setPlan, start, cancel } = useAppStore.getState();
  const running = runId !== null || progress !== null;
  // One job at a time: a profile beside a comparison would measure against it (the engine refuses it too).
  const comparing = useAppStore((s) => s.compareProgress !== null);
  const problems = Object.keys(useAppStore((s) => s.fieldProblems));
  const blocked = problems.length > 0;
  const symbols = [
    ...new Set((summary?.inputs ?? []).flatMap((i) => i.dims ?? []).filter((d): d is string => typeof d === 'string')),
  ];
  const unnamed = (summary?.inputs ?? []).filter((i) =>
    (i.dims ?? []).some((d) => d === null || (typeof d === 'number' && d <= 0)),
  );

  const usable = eps.length
    ? eps.filter((ep) => ep.usable)
    : [{ name: 'cpu' as EpName, label: 'CPU', usable: true, reason: null }];
  const unavailable = eps.filter((ep) => !ep.usable);

  const toggleEp = (name: EpName, on: boolean) => {
    const next = on ? [...plan.eps.filter((e) => e !== name), name] : plan.eps.filter((e) => e !== name);
    // CPU last: it is the fallback for nodes other EPs cannot run.
    setPlan({ eps: next.sort((a, b) => (a === 'cpu' ? 1 : b === 'cpu' ? -1 : 0)) });
  };

  return (
    <section className="panel" aria-label="Run settings">
      <h2>Run</h2>
      <RunOn disabled={running} />
      <fieldset className="eps">
        <legend>Execution providers</legend>
        {usable.map((ep) => (
          <label key={ep.name} className="ep">
            <input
              type="checkbox"
              disabled={running}
              checked={plan.eps.includes(ep.name)}
              onChange={(e) => toggleEp(ep.name, e.target.checked)}
            />
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
                <span className="ep-reason" id={`ep-reason-${ep.name}`}>
                  {ep.reason}
                </span>
              </label>
            ))}
          </details>
        )}
      </fieldset>
      <div className="grid2">
        <NumberField
          label="Threads"
          title="Intra-op threads; 0 = one per core"
          value={plan.intraOpThreads}
          {...limits('intraOpThreads')}
          onChange={(v) => setPlan({ intraOpThreads: v })}
        />
        <label className="field">
          <span>Optimization</span>
          <select
            value={plan.graphOptimizationLevel}
            onChange={(e) => setPlan({ graphOptimizationLevel: e.target.value as GraphOptimizationLevel })}
          >
            {OPT_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="Warm-up runs"
          value={plan.warmupRuns}
          {...limits('warmupRuns')}
          onChange={(v) => setPlan({ warmupRuns: v })}
        />
        <NumberField
          label="Timed runs"
          value={plan.timedRuns}
          {...limits('timedRuns')}
          onChange={(v) => setPlan({ timedRuns: v })}
        />
        <NumberField
          label="Profiled runs"
          value={plan.profiledRuns}
          {...limits('profiledRuns')}
          onChange={(v) => setPlan({ profiledRuns: v })}
        />
        <NumberField label="Seed" value={plan.seed} {...limits('seed')} onChange={(v) => setPlan({ seed: v })} />
      </div>
      {symbols.length > 0 && (
        <fieldset>
          <legend>Symbolic dims</legend>
          <div className="grid2">
            {symbols.map((symbol) => (
              <NumberField
                key={`${summary!.path}\u0000${symbol}`}
                label={symbol}
                value={plan.dims[symbol]}
                min={1}
                onChange={(v) => setPlan({ dims: { ...plan.dims, [symbol]: v } })}
              />
            ))}
          </div>
        </fieldset>
      )}
      {unnamed.length > 0 && (
        <fieldset>
          <legend>Input shapes</legend>
          {unnamed.map((input) => (
            <PlanTextField
              key={`${summary!.path}\u0000${input.name}`}
              className="field wide"
              label={input.name}
              ariaLabel={`Shape of ${input.name}`}
              placeholder={(input.dims ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : '?')).join('x')}
              canonical={plan.shapes[input.name]?.join('x') ?? ''}
              fallback=""
              parse={(text) => parseShape(text, input)}
              commit={(text) => {
                const shapes = { ...plan.shapes };
                const parsed = text === null ? null : parseShape(text, input);
                if (parsed?.ok && parsed.canonical) shapes[input.name] = parsed.canonical.split('x').map(Number);
                else delete shapes[input.name];
                setPlan({ shapes });
              }}
            />
          ))}
        </fieldset>
      )}
      {summary && summary.inputs.length > 0 && (
        <fieldset>
          <legend>Input values</legend>
          {summary.inputs.map((input) => (
            <PlanTextField
              key={`${summary.path}\u0000${input.name}`}
              className="field wide"
              label={input.name}
              ariaLabel={`Value of ${input.name}`}
              list="input-value-choices"
              placeholder="random"
              canonical={inputValue(plan.inputs[input.name])}
              fallback="random"
              parse={(text) => parseInputValue(text, plan.inputs[input.name])}
              commit={(text) => {
                const inputs = { ...plan.inputs };
                const parsed = text === null ? null : parseInputValue(text, plan.inputs[input.name]);
                if (!parsed?.ok || parsed.canonical === 'random') delete inputs[input.name];
                else if (parsed.canonical === 'zeros') inputs[input.name] = { kind: 'zeros' };
                else if (
                  plan.inputs[input.name]?.kind === 'file' &&
                  parsed.canonical === inputValue(plan.inputs[input.name])
                )
                  return;
                else inputs[input.name] = { kind: 'scalar', value: Number(parsed.canonical) };
                setPlan({ inputs });
              }}
            />
          ))}
          <datalist id="input-value-choices">
            <option value="random" />
            <option value="zeros" />
          </datalist>
        </fieldset>
      )}
      <div className="run-actions">
        <button
          type="button"
          className="primary"
          disabled={!summary || running || comparing || blocked}
          onClick={() => void start()}
          aria-label="Run profile"
          aria-describedby={!summary || blocked ? 'run-off-reason' : undefined}
          title={comparing ? 'A comparison is running: cancel it or wait for it to finish first' : 'Ctrl+Enter'}
        >
          {progress ? `Running… ${Math.round(progress.fraction * 100)}%` : 'Run profile'}
        </button>
        <button type="button" disabled={!running} onClick={() => void cancel()} aria-label="Cancel" title="Esc">
          Cancel
        </button>
      </div>
      {!summary ? (
        <p className="run-off muted" id="run-off-reason">
          {missing
            ? `Run is off: the model file of this report (${missing.fileName}) is not available.`
            : 'Run is off: open a model first.'}
        </p>
      ) : (
        blocked && (
          <p className="run-off field-problem" id="run-off-reason">
            Run is off until {problems.length === 1 ? 'this field is' : 'these fields are'} set: {problems.join(', ')}.
          </p>
        )
      )}
    </section>
  );
}
