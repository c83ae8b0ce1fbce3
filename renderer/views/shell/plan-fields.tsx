/**
 * Fields of the run plan that always show what the plan will use. Each keeps the user's draft text
 * only while it stands for the plan's current value (or is being typed and is not valid yet, which
 * the field then says); when the plan changes from elsewhere (another model opened, a report's
 * model) the field shows the plan again.
 */
import { useEffect, useId, useState } from 'react';
import { useAppStore } from '../../store/index.js';
import type { Parsed } from './run-fields.js';

/**
 * Draft text for a field showing `canonical`. `base` is the canonical value the draft was typed
 * against; when the plan's value moves away from it, the draft is dropped.
 */
function useDraft(canonical: string): [string, (text: string, nextCanonical: string) => void] {
  const [draft, setDraft] = useState({ text: canonical, base: canonical });
  if (draft.base !== canonical) {
    // Changed from elsewhere: show the plan. (Setting state while rendering is React's way to
    // derive state from props; the guard makes it happen once.)
    setDraft({ text: canonical, base: canonical });
    return [canonical, (text, base) => setDraft({ text, base })];
  }
  return [draft.text, (text, base) => setDraft({ text, base })];
}

interface PlanTextFieldProps {
  readonly label: string;
  readonly ariaLabel: string;
  /** The plan's value as text. */
  readonly canonical: string;
  /** Reads a draft; the plan is changed by `commit` only with valid text. */
  readonly parse: (text: string) => Parsed;
  /** Applies valid text to the plan, or (null) puts the plan back to its default for this field. */
  readonly commit: (text: string | null) => void;
  /** What the plan uses while the draft is not valid. */
  readonly fallback: string;
  readonly placeholder?: string;
  readonly list?: string;
  readonly inputMode?: 'numeric' | 'text';
  readonly type?: 'text' | 'number';
  readonly min?: number;
  readonly className?: string;
  readonly title?: string;
}

/** A text (or number) field bound to one value of the plan. */
export function PlanTextField(props: PlanTextFieldProps) {
  const { label, ariaLabel, canonical, parse, commit, fallback } = props;
  const [text, setText] = useDraft(canonical);
  const problemId = useId();
  const parsed = parse(text);
  const invalid = !parsed.ok;
  const problem = parsed.ok ? null : parsed.problem;
  // Run stays off while any field is not a value: what runs is always what the fields say.
  useEffect(() => {
    useAppStore.getState().setFieldProblem(ariaLabel, problem);
    return () => useAppStore.getState().setFieldProblem(ariaLabel, null);
  }, [ariaLabel, problem]);
  return (
    <label className={props.className ?? 'field'} title={props.title}>
      <span>{label}</span>
      <input
        type={props.type ?? 'text'}
        min={props.min}
        inputMode={props.inputMode}
        list={props.list}
        placeholder={props.placeholder}
        aria-label={ariaLabel}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? problemId : undefined}
        value={text}
        onChange={(e) => {
          const next = parse(e.target.value);
          commit(next.ok ? e.target.value : null);
          setText(e.target.value, next.ok ? next.canonical : fallback);
        }}
      />
      {!parsed.ok && (
        <span className="field-problem" id={problemId} role="status">
          {parsed.problem}
        </span>
      )}
    </label>
  );
}

/**
 * A whole-number field of the plan (runs, threads, seed, a symbolic dim). `value` undefined: a dim
 * with no sensible default, asked for before Run.
 */
export function NumberField({
  label,
  value,
  min,
  max = Number.MAX_SAFE_INTEGER,
  onChange,
  title,
}: {
  label: string;
  value: number | undefined;
  min: number;
  max?: number;
  onChange: (v: number) => void;
  title?: string;
}) {
  const current = value === undefined ? '' : String(value);
  return (
    <PlanTextField
      label={label}
      ariaLabel={label}
      title={title}
      type="number"
      min={min}
      inputMode="numeric"
      canonical={current}
      fallback={current}
      parse={(text) => {
        const v = Number(text);
        if (text.trim() === '' && value === undefined)
          return {
            ok: false,
            problem: `Set ${label}: no default fits it (Strata does not guess a dim that is not a batch).`,
          };
        return text.trim() !== '' && Number.isInteger(v) && v >= min && v <= max
          ? { ok: true, canonical: String(v) }
          : {
              ok: false,
              problem:
                max < Number.MAX_SAFE_INTEGER
                  ? `Needs a whole number from ${min} to ${max}.`
                  : `Needs a whole number ≥ ${min}.`,
            };
      }}
      commit={(text) => {
        if (text !== null) onChange(Number(text));
      }}
    />
  );
}
