// Generation on synthetic decoders (issue 17's done-when): a 4-layer decoder decoded to a 1,024-token
// context, and a draft/target pair run through real speculative loops. Prints the TTFT curve, decode
// tokens/s against KV depth, KV bytes computed against measured, and S(gamma) predicted against
// measured; exits non-zero naming any goal missed. Timing, so it lives here, not in a test.
//   npx tsx bench/generate.ts [--threads N] [--clock cpu|wall] [--skip-speculative]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateProfile } from '../electron/core/generate/run-generate.js';
import { formatBytes, formatMs, formatRange } from '../shared/format.js';
import { defaultGenerateSettings } from '../shared/generate.js';
import { defaultPlan } from '../shared/plan.js';
import { buildDecoder, writeDecoderDir, writeDraftTargetPair } from '../test/support/decoder-models.js';
import { REPO } from '../test/fixtures/paths.js';

const { values } = parseArgs({
  options: { threads: { type: 'string' }, clock: { type: 'string' }, 'skip-speculative': { type: 'boolean' } },
});
const plan = { ...defaultPlan(), intraOpThreads: Number(values.threads ?? 1) };
// The worker's CPU time by default: this bench's machine is often shared, and other processes'
// load would otherwise decide the speedups. With one thread it is a quiet machine's wall time.
const clock = values.clock === 'wall' ? 'wall' : 'cpu';
console.log(
  `clock: ${clock === 'cpu' ? "the worker's CPU time" : 'wall time'}, ${plan.intraOpThreads || 'default'} intra-op threads`,
);
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-generate-'));
const missed: string[] = [];
const goal = (ok: boolean, text: string) => {
  console.log(`${ok ? 'goal met' : 'GOAL MISSED'}: ${text}`);
  if (!ok) missed.push(text);
};

try {
  // 1. Prefill, decode and the KV cache on a 4-layer decoder (4 KV heads x 32, fp32: 4 KiB a token).
  const model = writeDecoderDir(
    join(dir, 'dec4'),
    buildDecoder({ layers: 4, hidden: 256, heads: 8, kvHeads: 4, ffn: 512 }),
  );
  const r = await generateProfile(
    model,
    { ...defaultGenerateSettings(), promptLengths: [16, 64, 256, 512], newTokens: 32, context: 1024, reps: 3, clock },
    plan,
  );
  console.log('TTFT against prompt length:');
  for (const p of r.prompts)
    console.log(
      `  ${String(p.promptTokens).padStart(5)} tokens  TTFT ${formatMs(p.ttftMs).padStart(9)}  ${p.promptTokensPerSec.toFixed(0).padStart(7)} prompt tok/s`,
    );
  console.log('Median decode step rate (1000 / median step, tok/s) against KV depth:');
  console.log('  ' + r.depth.map((d) => `${d.depth}: ${d.tokensPerSec.toFixed(0)}`).join('  '));
  const kv = r.kvMemory;
  console.log(
    `KV cache at ${kv.points.at(-1)?.context} tokens: computed ${formatBytes(kv.computedBytes)}, measured ${formatBytes(kv.measuredBytes)} (${kv.ratio.toFixed(3)}x); RSS grew ${formatBytes(kv.points.at(-1)?.rssBytes ?? 0)}`,
  );
  const ttft = r.prompts.map((p) => p.ttftMs);
  goal(
    ttft.every((t, i) => i === 0 || t > ttft[i - 1]!),
    `TTFT rises with prompt length (${ttft.map((t) => formatMs(t)).join(' < ')})`,
  );
  // Decode speed falls with depth: the mean of the last quarter of the depth buckets below the first quarter's.
  const q = Math.max(1, Math.floor(r.depth.length / 4));
  const early = r.depth.slice(0, q).reduce((s, d) => s + d.tokensPerSec, 0) / q;
  const late = r.depth.slice(-q).reduce((s, d) => s + d.tokensPerSec, 0) / q;
  goal(
    late < early,
    `decode tokens/s falls with depth (${early.toFixed(0)} tok/s near ${r.depth[0]?.depth}, ${late.toFixed(0)} near ${r.depth.at(-1)?.depth})`,
  );
  goal(
    Math.abs(kv.ratio - 1) <= 0.2 && kv.points.at(-1)?.context === 1024,
    `KV bytes measured within 20% of computed over a 1,024-token context (${kv.ratio.toFixed(3)}x)`,
  );
  const results: Record<string, unknown> = {
    prefillDecode: { prompts: r.prompts, depth: r.depth, kvMemory: kv, llamaBench: r.llamaBench },
  };

  // 2. A draft/target pair: the target's first layer as the draft, sharing embedding and LM head.
  if (!values['skip-speculative']) {
    const pair = writeDraftTargetPair(join(dir, 'pair'), {
      layers: 8,
      draftLayers: 1,
      hidden: 512,
      heads: 8,
      kvHeads: 4,
      ffn: 1536,
      vocab: 1024,
      layerScale: 0.2,
    });
    const s = (
      await generateProfile(
        pair.target,
        {
          ...defaultGenerateSettings(),
          promptLengths: [16],
          newTokens: 64,
          context: 80,
          reps: 3,
          speculativePrompts: 4,
          clock,
        },
        plan,
        { draftPath: pair.draft },
      )
    ).speculative!;
    const range = (r: { low: number; high: number }, digits = 2) =>
      formatRange(r, { digits, none: 'too few pairs', dash: '-' });
    const level = `${Math.round(s.level * 100)}%`;
    console.log(
      `\nSpeculative: c = ${s.costRatio.toFixed(3)} (draft ${formatMs(s.draftStepMs)}, its first step of a round ${formatMs(s.draftFirstStepMs)} (${formatMs(s.draftCatchUpStepMs ?? s.draftFirstStepMs)} after a round that kept all), target ${formatMs(s.targetStepMs)}), alpha = ${s.alpha.toFixed(3)} (${level}: ${range(s.alphaInterval, 3)}); best gamma ${s.costedBestGamma} (${level}: ${s.costedBestGammaRange.low}-${s.costedBestGammaRange.high}) predicted with the round's measured cost, ${s.bestGamma} by the paper's S`,
    );
    console.log(`gamma  S paper  S w/ verify  measured (${level})   tokens/pass pred  meas   acceptance by position`);
    for (const run of s.runs)
      console.log(
        `${String(run.gamma).padStart(5)}  ${run.predictedSpeedup.toFixed(2).padStart(7)}  ${run.costedSpeedup.toFixed(2).padStart(11)}  ${run.measuredSpeedup.toFixed(2).padStart(8)} (${range(run.measuredInterval)})  ${run.predictedAcceptedLength.toFixed(2).padStart(9)}  ${run.meanAcceptedLength.toFixed(2).padStart(5)}   ${run.acceptanceByPosition.map((a) => a.toFixed(2)).join(' ')}`,
      );
    console.log('gamma  a round in the loops, ms: drafting (costed as)  verifying (costed as)  the rest');
    for (const run of s.runs)
      console.log(
        `${String(run.gamma).padStart(5)}  ${run.roundMs.draft.toFixed(3).padStart(26)} (${(s.draftFirstStepMs + s.alpha ** run.gamma * ((s.draftCatchUpStepMs ?? s.draftFirstStepMs) - s.draftFirstStepMs) + (run.gamma - 1) * s.draftStepMs).toFixed(3)})  ${run.roundMs.verify.toFixed(3).padStart(14)} (${(run.verifyCost * s.targetStepMs).toFixed(3)})  ${run.roundMs.other.toFixed(3)}`,
      );
    const atBest = s.runs.find((x) => x.gamma === s.costedBestGamma)!;
    const atPaperBest = s.runs.find((x) => x.gamma === s.bestGamma)!;
    console.log(
      `paper's S at its best gamma ${s.bestGamma}: predicted ${atPaperBest.predictedSpeedup.toFixed(2)}x, measured ${atPaperBest.measuredSpeedup.toFixed(2)}x (${pct(atPaperBest.measuredSpeedup, atPaperBest.predictedSpeedup)}); it takes a verification pass over gamma+1 tokens to cost one step, measured here at ${atPaperBest.verifyCost.toFixed(2)} steps`,
    );
    goal(
      Math.abs(atBest.measuredSpeedup / atBest.costedSpeedup - 1) <= 0.2,
      `speculative speedup predicted (the round costed as measured) ${atBest.costedSpeedup.toFixed(2)}x and measured ${atBest.measuredSpeedup.toFixed(2)}x agree within 20% at the best gamma ${atBest.gamma} (${pct(atBest.measuredSpeedup, atBest.costedSpeedup)})`,
    );
    goal(
      Math.abs(atBest.meanAcceptedLength / atBest.predictedAcceptedLength - 1) <= 0.2,
      `tokens per target pass predicted ${atBest.predictedAcceptedLength.toFixed(2)} and measured ${atBest.meanAcceptedLength.toFixed(2)} agree within 20% at gamma ${atBest.gamma}`,
    );
    results.speculative = s;
  }
  mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'results', 'generate.json'), JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (missed.length) process.exitCode = 1;

function pct(measured: number, predicted: number): string {
  const d = (measured / predicted - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(0)}%`;
}
