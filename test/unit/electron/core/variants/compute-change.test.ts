// How a comparison prices a slower dynamic int8 variant, on made-up layers: time shares of the
// variant's run, time in the interleaved p50's units, and shares of the slowdown that never add
// past the whole difference.
import { describe, expect, it } from 'vitest';
import { profileDiagnostics } from '../../../../../electron/core/profile/diagnostics.js';
import { variantDiagnostics, type ModelOrigins } from '../../../../../electron/core/variants/compute-change.js';
import type { MatchedLayer } from '../../../../../shared/compare.js';
import type { LayerStats, Report } from '../../../../../shared/report.js';

const layer = (name: string, opType: string, ownUs: number): LayerStats =>
  ({
    name,
    opType,
    meanUs: ownUs,
    p50Us: ownUs,
    ownP50Us: ownUs,
    provider: 'CPUExecutionProvider',
    share: 0,
  }) as LayerStats;
const origin = (name: string) => {
  const m = /^(.*)\/strata\.([a-z-]+)\/[^/]+$/.exec(name);
  return m ? { origin: m[1]!, role: m[2] as 'rescale' } : { origin: name, role: null };
};
const group = (conv: string) => [
  `${conv}/strata.quantize-input/DynamicQuantizeLinear`,
  conv,
  `${conv}/strata.rescale/Mul`,
];

// Two float convolutions of 100 µs each in a 250 µs run; in the variant each is a 30 µs
// DynamicQuantizeLinear, a 120 µs ConvInteger and a 10 µs rescale, in a 400 µs run.
const baseLayers = [layer('/a/Conv', 'Conv', 100), layer('/b/Conv', 'Conv', 100)];
const varLayers = ['/a/Conv', '/b/Conv'].flatMap((c) => [
  layer(group(c)[0]!, 'DynamicQuantizeLinear', 30),
  layer(c, 'ConvInteger', 120),
  layer(group(c)[2]!, 'Mul', 10),
]);
const report = (layers: LayerStats[], runUs: number): Report =>
  ({
    layers,
    runs: [{ durUs: runUs, events: [] }],
    diagnostics: profileDiagnostics(layers, { requested: ['cpu'], runWallUs: runUs, origin }),
  }) as unknown as Report;
const baseline = report(baseLayers, 250);
const variant = report(varLayers, 400);
const rows: MatchedLayer[] = ['/a/Conv', '/b/Conv'].map((c) => ({
  name: c,
  opTypes: ['Conv', 'ConvInteger'],
  timesUs: [100, 160],
  deltasUs: [0, 60],
  how: 'lineage',
  groups: [null, group(c)],
}));
const origins: ModelOrigins = {
  resolvers: [origin, origin],
  baseOpTypes: new Map([
    ['/a/Conv', 'Conv'],
    ['/b/Conv', 'Conv'],
  ]),
  skipped: [new Map(), new Map()],
};

describe('diagnostics of a slower dynamic int8 variant', () => {
  it('gives shares of the variant run time, and time in the interleaved p50', () => {
    const ds = variantDiagnostics(rows, 1, variant, baseline, origins, { variantMs: 0.5, baselineMs: 0.3 });
    const dq = ds.find((d) => d.kind === 'dynamic-quantize')!;
    expect(dq.timeShare).toBeCloseTo(80 / 400); // 2 × (30 + 10) µs of a 400 µs profiled run
    expect(dq.timeUs).toBeCloseTo(0.2 * 500); // the same share of the 0.5 ms interleaved p50
    for (const d of ds) expect(d.timeShare).toBeLessThanOrEqual(1);
  });

  it('says what part of the difference each explains, counting the quantize ops once', () => {
    const ds = variantDiagnostics(rows, 1, variant, baseline, origins, { variantMs: 0.5, baselineMs: 0.3 });
    // 200 µs slower: quantize + rescale add 100 µs (50%); the ConvIntegers' own 2 × 20 µs over the
    // float Convs, 40 of 400 profiled µs, are 50 interleaved µs (25%).
    expect(ds.find((d) => d.kind === 'dynamic-quantize')!.slowdownShare).toBeCloseTo(0.5);
    expect(ds.find((d) => d.kind === 'int8-slower')!.slowdownShare).toBeCloseTo(0.25);
    expect(ds.find((d) => d.kind === 'dynamic-quantize')!.message).toMatch(
      /200 µs slower than the baseline at the interleaved p50; these layers add about 100 µs, 50% of that difference/,
    );
  });

  it('never explains more than the whole difference', () => {
    const ds = variantDiagnostics(rows, 1, variant, baseline, origins, { variantMs: 0.35, baselineMs: 0.3 });
    const total = ds.reduce((s, d) => s + (d.slowdownShare ?? 0), 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(ds.find((d) => d.kind === 'dynamic-quantize')!.slowdownShare).toBeCloseTo(1);
  });

  it('claims no share of a slowdown there is not', () => {
    const ds = variantDiagnostics(rows, 1, variant, baseline, origins, { variantMs: 0.29, baselineMs: 0.3 });
    expect(ds.every((d) => d.slowdownShare === undefined)).toBe(true);
  });
});

describe('the advice for slower int8 layers fits the kind of variant', () => {
  it('tells a dynamic variant with ConvInteger to try static QDQ', () => {
    const ds = variantDiagnostics(rows, 1, variant, baseline, origins, { variantMs: 0.5, baselineMs: 0.3 });
    expect(ds.find((d) => d.kind === 'int8-slower')!.fix).toMatch(/use static QDQ/);
  });

  it('never tells a static variant (fused QLinearConv) to use static QDQ', () => {
    const qlinear = ['/a/Conv', '/b/Conv'].map((c) => layer(c, 'QLinearConv', 160));
    const staticRows = rows.map((r) => ({ ...r, opTypes: ['Conv', 'QLinearConv'], groups: [null, [r.name]] }));
    const ds = variantDiagnostics(staticRows, 1, report(qlinear, 400), baseline, origins, {
      variantMs: 0.5,
      baselineMs: 0.3,
    });
    const fix = ds.find((d) => d.kind === 'int8-slower')!.fix;
    expect(fix).toMatch(/already run fused static int8 kernels/);
    expect(fix).not.toMatch(/static QDQ/);
  });
});
