/**
 * The generation settings a decoder is profiled with (prompt lengths, new tokens, KV depth,
 * repetitions), one set in the store: the Generation view and the Compare view's two decoders show
 * the same fields over the same values.
 */
import { useState, type ReactNode } from 'react';
import { useAppStore } from '../../store/index.js';
import { parsePromptLengths } from './prompt-lengths.js';

/** The prompt-lengths text as the user types it, kept by the form that owns the Run button. */
export function usePromptLengthsText(): [string, (text: string) => void] {
  const promptLengths = useAppStore((s) => s.generateSettings.promptLengths);
  return useState(promptLengths.join(','));
}

/** A labelled whole-number input that reports only values at or above `min`. */
function WholeNumberField(props: { label: string; min: number; value: number; onValue: (n: number) => void }) {
  return (
    <label>
      {props.label}
      <input
        aria-label={props.label}
        type="number"
        min={props.min}
        value={props.value}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n) && n >= props.min) props.onValue(n);
        }}
      />
    </label>
  );
}

/** The fields, then `children` (the draft's, in the Generation view) in the same row. */
export function GenerateSettingsFields({
  lengths,
  onLengths,
  children,
}: {
  readonly lengths: string;
  readonly onLengths: (text: string) => void;
  readonly children?: ReactNode;
}) {
  const settings = useAppStore((s) => s.generateSettings);
  const { setGenerateSettings } = useAppStore.getState();
  return (
    <div className="generate-fields">
      <label>
        Prompt lengths
        <input
          aria-label="Prompt lengths"
          value={lengths}
          aria-invalid={parsePromptLengths(lengths) === null}
          onChange={(e) => {
            onLengths(e.target.value);
            const promptLengths = parsePromptLengths(e.target.value);
            if (promptLengths) {
              setGenerateSettings({
                promptLengths,
                context: Math.max(settings.context, promptLengths.at(-1)! + settings.newTokens),
              });
            }
          }}
        />
      </label>
      <label>
        New tokens
        <input
          aria-label="New tokens"
          type="number"
          min={2}
          value={settings.newTokens}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 2)
              setGenerateSettings({
                newTokens: n,
                context: Math.max(settings.context, Math.max(...settings.promptLengths) + n),
              });
          }}
        />
      </label>
      <WholeNumberField
        label="KV depth to reach"
        min={2}
        value={settings.context}
        onValue={(context) => setGenerateSettings({ context })}
      />
      <WholeNumberField
        label="Repetitions"
        min={1}
        value={settings.reps}
        onValue={(reps) => setGenerateSettings({ reps })}
      />
      {children}
    </div>
  );
}
