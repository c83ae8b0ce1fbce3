/**
 * The Generation view: a decoder's prefill and decode (TTFT curve, decode speed by KV depth, a
 * per-token timeline with its prefill block, KV memory growth), a flame graph, chart and table of
 * time by module with one prefill/decode/both switch, and with a draft the speculative panel. The previous run's curves stay
 * beside the new ones, so two decoders (say fp32 and int8) compare on one chart.
 */
import { useMemo, useState } from 'react';
import { formatBytes, formatMs, formatUs } from '../../../shared/format.js';
import {
  parseGammaRange,
  phaseUnit,
  profiledPassNote,
  phaseUs,
  type GeneratePhase,
  type GenerateReport,
} from '../../../shared/generate.js';
import {
  buildDepthOption,
  buildKvMemoryOption,
  buildPhaseLayersOption,
  buildTokenTimelineOption,
  buildTtftOption,
} from '../../charts/generate.js';
import { buildPairDepthOption, buildPairTtftOption } from '../../charts/generate-pair.js';
import { isDesktopApp } from '../../api/platform.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { useAppStore } from '../../store/index.js';
import { Card } from './GenerateCard.js';
import { GenerateComparisonPanel } from './GenerateComparisonPanel.js';
import { CompareWithDecoder } from './CompareWithDecoder.js';
import { GenerateSettingsFields, usePromptLengthsText } from './GenerateSettingsFields.js';
import { parsePromptLengths } from './prompt-lengths.js';
import { SpeculativePanel } from './SpeculativePanel.js';
import { GenerateFlame } from './GenerateFlame.js';
import { GenerateRunStatus } from './GenerateRunStatus.js';
import { TtftDepthCharts } from './TtftDepthCharts.js';
import '../results/results.css';
import '../compare/compare.css';
import './generate.css';

/** The whole Generation view. */
export function GenerateView() {
  const report = useAppStore((s) => s.generateReport);
  return (
    <section className="results generate" aria-label="Generation">
      <GenerateForm />
      {report ? (
        <GenerateResults report={report} />
      ) : (
        <p className="muted compare-empty">
          No generation profile yet: open a decoder exported with its KV cache (input_ids, past_key_values.N.key/value
          in; logits, present.N.key/value out), add a draft if you have one, and press “Profile generation”.
        </p>
      )}
    </section>
  );
}

function GenerateForm() {
  const settings = useAppStore((s) => s.generateSettings);
  const draft = useAppStore((s) => s.draft);
  const running = useAppStore((s) => s.generateRunId !== null);
  const hasModel = useAppStore((s) => s.summary !== null);
  const { setGenerateSettings, startGenerate, setDraftFile, pickDraft, clearDraft } = useAppStore.getState();
  const [lengths, setLengths] = usePromptLengthsText();
  const [gammas, setGammas] = useState(`${settings.gammas[0]}-${settings.gammas.at(-1)}`);
  const lengthsOk = parsePromptLengths(lengths) !== null;
  const gammaList = parseGammaRange(gammas);
  return (
    <div className="compare-setup generate-setup">
      <div className="compare-setup-head">
        <h2>Generation</h2>
        <span className="muted">greedy decoding on token ids, prefill and every decode step timed apart</span>
      </div>
      <GenerateSettingsFields lengths={lengths} onLengths={setLengths}>
        <div className="generate-draft">
          <span>Draft model</span>
          {draft ? (
            <span className="generate-draft-name" title={draft.path}>
              {draft.fileName}{' '}
              <button type="button" className="link-button" onClick={clearDraft}>
                remove
              </button>
            </span>
          ) : isDesktopApp() ? (
            <button type="button" onClick={() => void pickDraft()}>
              Choose draft…
            </button>
          ) : (
            <input
              aria-label="Draft model file"
              type="file"
              accept=".onnx"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void setDraftFile(file);
              }}
            />
          )}
        </div>
        {draft && (
          <label>
            γ (draft lengths)
            <input
              aria-label="Draft lengths"
              value={gammas}
              aria-invalid={gammaList === null}
              onChange={(e) => {
                setGammas(e.target.value);
                const list = parseGammaRange(e.target.value);
                if (list) setGenerateSettings({ gammas: list });
              }}
            />
          </label>
        )}
      </GenerateSettingsFields>
      <div className="compare-actions">
        {running ? (
          <GenerateRunStatus />
        ) : (
          <>
            <button
              type="button"
              className="primary"
              disabled={!hasModel || !lengthsOk || (draft !== null && gammaList === null)}
              onClick={() => void startGenerate()}
            >
              Profile generation
            </button>
            {hasModel && <CompareWithDecoder disabled={!lengthsOk} />}
          </>
        )}
      </div>
    </div>
  );
}

/** The results of a generation profile. */
export function GenerateResults({ report }: { readonly report: GenerateReport }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const previous = useAppStore((s) => s.previousGenerateReport);
  const phase = useAppStore((s) => s.generatePhase);
  const comparison = useAppStore((s) => s.generateComparison);
  const { setGeneratePhase, exportGenerate } = useAppStore.getState();
  // Two decoders run as a pair: the lines carry the comparison's names (A and B, told apart when both
  // are model.onnx). A plain re-run keeps "(before)" on the earlier line.
  const pair =
    comparison && comparison.a === previous && comparison.b === report && previous.alternatingRounds
      ? comparison
      : null;
  const ttft = useMemo(
    () => (pair ? buildPairTtftOption(pair, theme) : buildTtftOption(report, previous, theme)),
    [pair, report, previous, theme],
  );
  const depth = useMemo(
    () => (pair ? buildPairDepthOption(pair, theme) : buildDepthOption(report, previous, theme)),
    [pair, report, previous, theme],
  );
  const timeline = useMemo(() => buildTokenTimelineOption(report, theme), [report, theme]);
  const kv = useMemo(() => buildKvMemoryOption(report, theme), [report, theme]);
  const layers = useMemo(() => buildPhaseLayersOption(report, phase, theme), [report, phase, theme]);
  const d = report.decoder;
  const kvm = report.kvMemory;
  const first = report.prompts[0];
  const lastDepth = report.depth.at(-1);
  return (
    <div className="compare-results generate-results">
      <div className="chart-toolbar">
        <p className="results-context">
          <strong>{report.model.name}</strong>: {d.layers} layers, {d.kvHeads} KV heads × {d.headDim}, vocabulary{' '}
          {d.vocab}, {d.kvElementType} cache · onnxruntime {report.ortVersion} ·{' '}
          {new Date(report.createdAt).toLocaleString()}
          {previous ? ` · dashed: ${previous.model.name}, the run before` : ''}
        </p>
        <div className="compare-export">
          <button type="button" className="results-button" onClick={() => void exportGenerate('html')}>
            Export HTML
          </button>
          <button type="button" className="results-button" onClick={() => void exportGenerate('json')}>
            Export JSON
          </button>
        </div>
      </div>
      <div className="cards generate-cards">
        <Card
          label="TTFT"
          value={first ? formatMs(first.ttftMs) : '–'}
          hint={first ? `${first.promptTokens}-token prompt` : ''}
        />
        <Card
          label="Prompt tokens/s"
          value={first ? Math.round(report.prompts.at(-1)!.promptTokensPerSec).toLocaleString() : '–'}
          hint={`${report.prompts.at(-1)?.promptTokens ?? 0}-token prompt`}
        />
        <Card
          label="Median step rate"
          value={first ? Math.round(first.decodeTokensPerSec).toLocaleString() : '–'}
          hint={`tokens/s as 1000 / per-token p50, not tokens over total time${lastDepth ? `; ${Math.round(lastDepth.tokensPerSec).toLocaleString()} at depth ${lastDepth.depth}` : ''}`}
        />
        <Card
          label="Per-token p50"
          value={first ? formatMs(first.decodeP50Ms) : '–'}
          hint={first ? `p90 ${formatMs(first.decodeP90Ms)}, after the first token` : ''}
        />
        <Card
          label="KV cache"
          value={formatBytes(kvm.measuredBytes)}
          hint={`computed ${formatBytes(kvm.computedBytes)} at ${kvm.points.at(-1)?.context ?? 0} tokens (${kvm.ratio.toFixed(2)}×)`}
        />
        <Card label="Peak memory" value={formatBytes(report.peakRssBytes)} hint="worker RSS" />
      </div>
      {comparison && <GenerateComparisonPanel comparison={comparison} />}
      <TtftDepthCharts
        ttft={ttft}
        depth={depth}
        labels={{ ttft: 'TTFT against prompt length', depth: 'Decode tokens per second against KV depth' }}
        dark={dark}
      />
      <div className="chart-row">
        <figure className="chart-card">
          <figcaption>
            Per-token timeline: the prefill of {report.timeline[0]?.tokens ?? 0} tokens (orange), then each decode step
          </figcaption>
          <EChart option={timeline} height={240} label="Per-token timeline" dark={dark} />
        </figure>
        <figure className="chart-card">
          <figcaption>KV cache memory as the context grows</figcaption>
          <EChart option={kv} height={240} label="KV cache memory growth" dark={dark} />
          <p className="hint muted">{kvm.measure}</p>
        </figure>
      </div>
      <section className="generate-phase" aria-label="Time by module">
        <div className="chart-toolbar">
          <h3>Where the time goes, by module</h3>
          <span className="segmented" role="group" aria-label="Phase">
            {PHASES.map(([value, label]) => (
              <button key={value} type="button" aria-pressed={phase === value} onClick={() => setGeneratePhase(value)}>
                {label}
              </button>
            ))}
          </span>
          <span className="muted">{phaseUnit(phase, report.profiledPass.decodeSteps)}</span>
        </div>
        <p className="muted generate-profiled-note">{profiledPassNote(report.profiledPass)}</p>
        <figure className="chart-card">
          <figcaption>Flame graph of the profiled generation</figcaption>
          <GenerateFlame report={report} phase={phase} theme={theme} />
        </figure>
        <div className="chart-row">
          <figure className="chart-card generate-layers">
            <figcaption>Layers by phase</figcaption>
            <EChart
              option={layers}
              height={Math.max(200, 24 * Math.min(16, report.layers.length) + 50)}
              label={`Layers, ${phase}`}
              dark={dark}
            />
          </figure>
          <figure className="chart-card">
            <figcaption>Layers table ({phaseUnit(phase, report.profiledPass.decodeSteps)})</figcaption>
            <div className="compare-table-scroll">
              <table className="compare-table generate-layer-table">
                <thead>
                  <tr>
                    <th>module</th>
                    <th>prefill, per pass</th>
                    <th>decode, per step</th>
                    <th>share of {phase === 'both' ? 'the generation' : phase}</th>
                  </tr>
                </thead>
                <tbody>
                  {sortedLayers(report, phase).map((l) => (
                    <tr key={l.module}>
                      <td>{l.module}</td>
                      <td>{formatUs(l.prefillUs)}</td>
                      <td>{formatUs(l.decodeUs)}</td>
                      <td>{l.share}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        </div>
      </section>
      {report.speculative && <SpeculativePanel report={report} />}
      {report.notes.length > 0 && (
        <section className="notes" aria-label="Notes">
          <h3>Notes</h3>
          <ul>
            {report.notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const PHASES: readonly (readonly [GeneratePhase, string])[] = [
  ['prefill', 'Prefill'],
  ['decode', 'Decode'],
  ['both', 'Both'],
];

function sortedLayers(report: GenerateReport, phase: GeneratePhase) {
  const steps = report.profiledPass.decodeSteps;
  const total = report.layers.reduce((s, l) => s + phaseUs(l, phase, steps), 0) || 1;
  return [...report.layers]
    .sort((a, b) => phaseUs(b, phase, steps) - phaseUs(a, phase, steps))
    .map((l) => ({ ...l, share: `${((100 * phaseUs(l, phase, steps)) / total).toFixed(1)}%` }));
}
