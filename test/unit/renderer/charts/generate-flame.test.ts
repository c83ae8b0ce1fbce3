import { describe, expect, it } from 'vitest';
import { buildGenerateFlame, generateFlameLeaves } from '../../../../renderer/charts/generate-flame.js';
import { LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import type { GenerateReport } from '../../../../shared/generate.js';

// Modules in the order their first kernel ran, as phase-layers.ts lists them. layers.0 has a
// residual Add of its own beside its attn and mlp children.
const report = {
  layers: [
    { module: 'model/embed', prefillUs: 20, decodeUs: 2 },
    { module: 'model/layers.0/attn', prefillUs: 300, decodeUs: 20 },
    { module: 'model/layers.0', prefillUs: 10, decodeUs: 1 },
    { module: 'model/layers.0/mlp', prefillUs: 200, decodeUs: 30 },
    { module: 'lm_head', prefillUs: 100, decodeUs: 10 },
  ],
  profiledPass: { prefillUs: 650, decodeStepUs: 64, decodeSteps: 8 },
} as unknown as GenerateReport;

const frames = (phase: 'prefill' | 'decode' | 'both') =>
  buildGenerateFlame(report, phase, LIGHT_THEME).tree.frames.map((f) => [f.key, f.depth, f.startUs, f.widthUs]);

describe('the generation flame graph', () => {
  it('lays the modules out by prefill time, in execution order, a parent as wide as its children', () => {
    expect(frames('prefill')).toEqual([
      ['model', 0, 0, 530],
      ['model#0', 1, 0, 20], // embed
      ['model/layers.0', 1, 20, 510],
      ['model/layers.0#1', 2, 20, 300], // attn
      ['model/layers.0#2', 2, 320, 10], // (own)
      ['model/layers.0#3', 2, 330, 200], // mlp
      ['#4', 0, 530, 100], // lm_head
    ]);
    expect(buildGenerateFlame(report, 'prefill', LIGHT_THEME).labels).toEqual([
      'model',
      'embed',
      'layers.0',
      'attn',
      '(own)',
      'mlp',
      'lm_head',
    ]);
  });

  it('switches widths to one decode step', () => {
    const flame = buildGenerateFlame(report, 'decode', LIGHT_THEME);
    expect(flame.tree.totalUs).toBe(63);
    expect(flame.full).toEqual({ startUs: 0, endUs: 63 });
    expect(flame.unit).toBe('per decode step');
  });

  it('splits each module into its prefill and its decode steps under "both", in the phase colours', () => {
    const flame = buildGenerateFlame(report, 'both', LIGHT_THEME);
    // One generation: the modules' 630 µs of prefill and 8 steps of their 63 µs of decode.
    expect(flame.tree.totalUs).toBe(630 + 8 * 63);
    const lm = flame.tree.frames.filter((f) => f.key.startsWith('lm_head'));
    expect(lm.map((f) => [f.label, f.widthUs])).toEqual([
      ['lm_head', 180],
      ['prefill', 100],
      ['decode', 80],
    ]);
    expect(flame.fills[lm[1]!.id]).toBe(LIGHT_THEME.cold);
    expect(flame.fills[lm[2]!.id]).toBe(LIGHT_THEME.accent);
    expect(flame.tooltip(lm[2]!.id)).toContain('10 µs per step');
  });

  it('colours a module kind alike in every layer', () => {
    const leaves = generateFlameLeaves(
      {
        ...report,
        layers: [
          { module: 'model/layers.0/attn', prefillUs: 1, decodeUs: 1 },
          { module: 'model/layers.1/attn', prefillUs: 1, decodeUs: 1 },
        ],
      } as GenerateReport,
      'decode',
    );
    expect(leaves.map((l) => l.modulePath)).toEqual(['model/layers.0', 'model/layers.1']);
    const flame = buildGenerateFlame(
      { ...report, layers: report.layers.slice(1, 2) } as GenerateReport,
      'decode',
      LIGHT_THEME,
    );
    const other = buildGenerateFlame(
      { ...report, layers: [{ module: 'model/layers.5/attn', prefillUs: 3, decodeUs: 3 }] } as GenerateReport,
      'decode',
      LIGHT_THEME,
    );
    expect(flame.fills.at(-1)).toBe(other.fills.at(-1));
  });
});
