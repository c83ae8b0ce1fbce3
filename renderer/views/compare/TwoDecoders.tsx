/**
 * The Compare view's "Two decoders" (say fp32 and int8): the open decoder (A) and another (B) with
 * the same generation settings, profiled the `strata generate A --vs B` way (A's profile ends with
 * both in alternating rounds, the verdicts' samples), then the comparison the Generation view shows
 * too: the verdict with its interval, TTFT, per-token p50/p90, decode speed, KV bytes, peak memory,
 * and the TTFT and depth curves of both.
 */
import { useMemo } from 'react';
import { hasDecoderNames } from '../../../shared/decoder-names.js';
import type { GenerateComparison } from '../../../shared/generate-compare.js';
import { buildPairDepthOption, buildPairTtftOption } from '../../charts/generate-pair.js';
import { chartTheme } from '../../charts/theme.js';
import { usePrefersDark } from '../../components/echart.js';
import { useAppStore } from '../../store/index.js';
import { SecondDecoderPicker } from '../generate/CompareWithDecoder.js';
import { GenerateComparisonPanel } from '../generate/GenerateComparisonPanel.js';
import { GenerateRunStatus } from '../generate/GenerateRunStatus.js';
import { TtftDepthCharts } from '../generate/TtftDepthCharts.js';
import { GenerateSettingsFields, usePromptLengthsText } from '../generate/GenerateSettingsFields.js';
import { parsePromptLengths } from '../generate/prompt-lengths.js';
import '../generate/generate.css';

/** The section, for an open model whose inputs and outputs are a decoder's; nothing otherwise. */
export function TwoDecoders() {
  const summary = useAppStore((s) => s.summary);
  const vs = useAppStore((s) => s.generateVs);
  const running = useAppStore((s) => s.generateRunId !== null);
  const comparison = useAppStore((s) => s.generateComparison);
  const { startGenerateVs } = useAppStore.getState();
  const [lengths, setLengths] = usePromptLengthsText();
  if (!summary || !hasDecoderNames(summary)) return null;
  return (
    <section className="compare-setup two-decoders" aria-label="Two decoders">
      <div className="compare-setup-head">
        <h2>Two decoders</h2>
        <span className="muted">
          A, the open {summary.fileName}, against decoder B with the same settings: TTFT, per-token latency, decode
          speed, KV cache and memory, the speeds timed in alternating rounds of the two
        </span>
      </div>
      <GenerateSettingsFields lengths={lengths} onLengths={setLengths}>
        <SecondDecoderPicker disabled={running} />
      </GenerateSettingsFields>
      <div className="compare-actions">
        {running ? (
          <GenerateRunStatus />
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!vs || parsePromptLengths(lengths) === null}
            onClick={() => void startGenerateVs()}
          >
            Compare the two decoders
          </button>
        )}
      </div>
      {comparison && <PairResults comparison={comparison} />}
    </section>
  );
}

function PairResults({ comparison }: { readonly comparison: GenerateComparison }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const ttft = useMemo(() => buildPairTtftOption(comparison, theme), [comparison, theme]);
  const depth = useMemo(() => buildPairDepthOption(comparison, theme), [comparison, theme]);
  return (
    <div className="compare-results two-decoders-results">
      <GenerateComparisonPanel comparison={comparison} />
      <TtftDepthCharts
        ttft={ttft}
        depth={depth}
        labels={{
          ttft: 'TTFT of both decoders against prompt length',
          depth: 'Decode step rate of both decoders against KV depth',
        }}
        dark={dark}
      />
    </div>
  );
}
