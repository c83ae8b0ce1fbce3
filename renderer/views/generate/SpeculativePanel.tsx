/**
 * The speculative panel of the Generation view: the pair's cost ratio c, acceptance α, best γ and
 * the measured loop at it, S(γ) predicted against measured, and acceptance by draft position.
 */
import { useMemo } from 'react';
import { formatMs } from '../../../shared/format.js';
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
  const best = s.runs.find((r) => r.gamma === s.bestGamma);
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
          hint={`draft ${formatMs(s.draftStepMs)} / target ${formatMs(s.targetStepMs)}`}
        />
        <Card
          label={
            <>
              Acceptance <Sym>α</Sym>
            </>
          }
          value={s.alpha.toFixed(3)}
          hint={`${s.prompts} prompts × ${s.tokensPerPrompt} tokens`}
        />
        <Card
          label={
            <>
              Best <Sym>γ</Sym>
            </>
          }
          value={String(s.bestGamma)}
          hint={`S = ${best?.predictedSpeedup.toFixed(2)}× predicted`}
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
              ? `${best.meanAcceptedLength.toFixed(2)} tokens per target pass (predicted ${best.predictedAcceptedLength.toFixed(2)})`
              : ''
          }
        />
      </div>
      <div className="chart-row">
        <figure className="chart-card">
          <figcaption>Speedup against γ: predicted S(γ), with the measured verification cost, and measured</figcaption>
          <EChart option={speedup} height={260} label="Speculative speedup against gamma" dark={dark} />
        </figure>
        <figure className="chart-card">
          <figcaption>Acceptance by draft position</figcaption>
          <EChart option={acceptance} height={260} label="Acceptance by draft position" dark={dark} />
        </figure>
      </div>
      <p className="hint muted">
        α is the draft’s greedy agreement with the target’s own greedy continuation, each reading the same prefix: the
        tokens a greedy speculative loop walks, so prediction and measurement describe the same sequence. S(γ) takes
        acceptances as independent and a verification pass over γ + 1 tokens as costing one target step.
      </p>
    </section>
  );
}
