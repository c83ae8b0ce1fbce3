/**
 * The speculative panel of the Generation view: the pair's cost ratio c, acceptance α, best γ and
 * the measured loop at it, S(γ) predicted against measured, and acceptance by draft position.
 */
import { useMemo } from 'react';
import { formatMs, formatRange } from '../../../shared/format.js';
import type { GenerateReport } from '../../../shared/generate.js';
import { buildAcceptanceOption, buildSpeculativeOption } from '../../charts/generate.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { Card, Sym } from './GenerateCard.js';

/** The panel, for a report with a draft. */
export function SpeculativePanel({ report }: { readonly report: GenerateReport }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const s = report.speculative!;
  const speedup = useMemo(() => buildSpeculativeOption(report, theme), [report, theme]);
  const acceptance = useMemo(() => buildAcceptanceOption(report, theme), [report, theme]);
  const best = s.runs.find((r) => r.gamma === s.costedBestGamma);
  const predictedAtBest = s.costedPredicted.find((p) => p.gamma === s.costedBestGamma)?.speedup;
  const paperBest = s.predicted.find((p) => p.gamma === s.bestGamma)?.speedup;
  const level = `${Math.round(s.level * 100)}%`;
  const gammaRange =
    s.costedBestGammaRange.low === s.costedBestGammaRange.high
      ? `γ=${s.costedBestGamma} in ${level} of resamples`
      : `${level} of resamples: γ ${s.costedBestGammaRange.low}–${s.costedBestGammaRange.high}`;
  return (
    <section className="speculative" aria-label="Speculative decoding">
      <h3>
        Speculative decoding: draft {s.draftPath.split(/[\\/]/).pop()} ({s.draftLayers} layer
        {s.draftLayers === 1 ? '' : 's'})
      </h3>
      <div className="cards generate-cards">
        <Card
          label={
            <>
              Cost ratio <Sym>c</Sym>
            </>
          }
          value={s.costRatio.toFixed(3)}
          hint={`draft ${formatMs(s.draftStepMs)} / target ${formatMs(s.targetStepMs)}; a round's first draft step ${formatMs(s.draftFirstStepMs)}${s.draftCatchUpStepMs !== undefined ? `, ${formatMs(s.draftCatchUpStepMs)} after a round that kept all its drafts` : ''}`}
        />
        <Card
          label={
            <>
              Acceptance <Sym>α</Sym>
            </>
          }
          value={s.alpha.toFixed(3)}
          hint={`${level}: ${formatRange(s.alphaInterval, { digits: 3 })}; ${s.prompts} prompts × ${s.tokensPerPrompt} tokens`}
        />
        <Card
          label={
            <>
              Best <Sym>γ</Sym>
            </>
          }
          value={String(s.costedBestGamma)}
          hint={`predicted ${predictedAtBest?.toFixed(2)}× (${level}: ${formatRange(s.costedAtBestInterval)}, sampling noise only); ${gammaRange}`}
        />
        <Card
          label={
            <>
              Measured at best <Sym>γ</Sym>
            </>
          }
          value={best ? `${best.measuredSpeedup.toFixed(2)}×` : '–'}
          hint={
            best
              ? `${Number.isFinite(best.measuredInterval.low) ? `${level}: ${formatRange(best.measuredInterval)} over ${best.pairs} pairs` : `${best.pairs} pairs: too few for an interval`}; ${best.meanAcceptedLength.toFixed(2)} tokens per target pass (predicted ${best.predictedAcceptedLength.toFixed(2)})`
              : ''
          }
        />
      </div>
      <div className="chart-row">
        <figure className="chart-card">
          <figcaption>
            Speedup against γ: predicted with the measured round cost, the paper’s S(γ), and measured ({level}{' '}
            intervals)
          </figcaption>
          <EChart option={speedup} height={260} label="Speculative speedup against gamma" dark={dark} />
        </figure>
        <figure className="chart-card">
          <figcaption>Acceptance by draft position</figcaption>
          <EChart option={acceptance} height={260} label="Acceptance by draft position" dark={dark} />
        </figure>
      </div>
      <p className="hint muted">
        α is the draft’s greedy agreement with the target’s own greedy continuation, each reading the same prefix: the
        tokens a greedy speculative loop walks, so prediction and measurement describe the same sequence. The prediction
        is Leviathan et al.’s expected tokens per target pass, (1 − α<sup>γ+1</sup>) / (1 − α), over a round’s cost as
        measured here (mean times): the first draft step after a target pass (two tokens after a round that kept all its
        drafts), γ − 1 more, and a verification pass over γ + 1 tokens (
        {best ? `${best.verifyCost.toFixed(2)} target steps at γ=${best.gamma}` : 'measured'}). The paper’s S(γ) counts
        that pass as one step
        {paperBest !== undefined ? ` (${paperBest.toFixed(2)}× at its best γ=${s.bestGamma})` : ''}, which holds on a
        GPU, rarely on a CPU.
      </p>
    </section>
  );
}
