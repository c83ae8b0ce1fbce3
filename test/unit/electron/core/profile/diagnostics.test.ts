// The silent-fallback alarm and "why is this slower?" on made-up layers, with the CPU flags
// injected: nothing here depends on this machine.
import { describe, expect, it } from 'vitest';
import { int8DotFromCpuinfo } from '../../../../../electron/core/profile/cpu-flags.js';
import {
  fallbackOf,
  profileDiagnostics,
  providerShares,
  unattributedOf,
} from '../../../../../electron/core/profile/diagnostics.js';
import type { LayerStats } from '../../../../../shared/report.js';

const layer = (name: string, opType: string, meanUs: number, provider = 'CPUExecutionProvider'): LayerStats =>
  ({ name, opType, meanUs, p50Us: meanUs, provider, share: 0 }) as LayerStats;
// Shares as the profiler computes them: own time over the sum.
function withShares(layers: LayerStats[]): LayerStats[] {
  const total = layers.reduce((s, l) => s + l.meanUs, 0);
  return layers.map((l) => ({ ...l, share: l.meanUs / total }));
}

describe('providers and the fallback alarm', () => {
  const layers = withShares([
    layer('/a/MatMul', 'MatMul', 60, 'WebGpuExecutionProvider'),
    layer('/a/Add', 'Add', 10, 'WebGpuExecutionProvider'),
    layer('/a/Shape', 'Shape', 10),
    layer('/a/NonZero', 'NonZero', 20),
  ]);

  it('counts nodes and time per provider', () => {
    const shares = providerShares(layers);
    expect(shares.map((p) => [p.name, p.nodes])).toEqual([
      ['WebGpuExecutionProvider', 2],
      ['CPUExecutionProvider', 2],
    ]);
    expect(shares[0]!.timeShare).toBeCloseTo(0.7);
  });

  it('says how much the chosen EP ran and what fell back', () => {
    const fallback = fallbackOf(layers, ['webgpu', 'cpu'])!;
    expect(fallback.line).toBe('WebGPU ran 2 of 4 nodes, 70% of the run time; 2 nodes fell back to CPU (30%)');
    expect(fallback.layers).toEqual(['/a/Shape', '/a/NonZero']);
    expect(fallbackOf(layers, ['cpu'])).toBeUndefined();
    const d = profileDiagnostics(layers, { requested: ['webgpu', 'cpu'] }).find((x) => x.kind === 'ep-fallback')!;
    expect(d.timeShare).toBeCloseTo(0.3);
    expect(d.layers).toEqual(['/a/Shape', '/a/NonZero']);
  });

  it('gives shares of the run wall time and names the part in no node (copies, sync) when that dominates', () => {
    // 100 µs in nodes of a 400 µs run: the GPU's copies and waits are three quarters of it.
    const shares = providerShares(layers, 400);
    expect(shares.map((p) => p.timeShare)).toEqual([70 / 400, 30 / 400]);
    expect(unattributedOf(layers, 400)).toEqual({ timeUs: 300, timeShare: 0.75 });
    const fallback = fallbackOf(layers, ['webgpu', 'cpu'], 400)!;
    expect(fallback.line).toBe(
      'WebGPU ran 2 of 4 nodes, 18% of the run time; 2 nodes fell back to CPU (8%); 75% in no node (waiting on the GPU, copies, session overhead)',
    );
    expect(fallback.unattributedShare).toBe(0.75);
    const d = profileDiagnostics(layers, { requested: ['webgpu', 'cpu'], runWallUs: 400 }).find(
      (x) => x.kind === 'ep-fallback',
    )!;
    expect(d.timeShare).toBeCloseTo(0.075);
    expect(d.message).toMatch(/30 µs per run, 8% of the run time/);
    // A sliver is "<0.1%", never "0.0%" for nodes that did run.
    expect(fallbackOf(layers, ['webgpu', 'cpu'], 1_000_000)!.line).toMatch(
      /fell back to CPU \(<0\.1%\); >99\.9% in no node/,
    );
    // Shares never pass 1, even when parallel nodes sum to more than the wall time.
    expect(providerShares(layers, 50).reduce((s, p) => s + p.timeShare, 0)).toBeCloseTo(1);
  });
});

describe('why is it slower', () => {
  const layers = withShares([
    layer('/c/Conv/strata.quantize-input/DynamicQuantizeLinear', 'DynamicQuantizeLinear', 20),
    layer('/c/Conv', 'ConvInteger', 50),
    layer('/c/Conv/strata.rescale/Mul', 'Mul', 5),
    layer('/d/DequantizeLinear', 'DequantizeLinear', 15),
    layer('Transpose', 'Transpose', 10),
  ]);
  const origin = (name: string) => {
    const m = /^(.*)\/strata\.([a-z-]+)\/[^/]+$/.exec(name);
    if (m) return { origin: m[1]!, role: m[2] as 'rescale' };
    return name === 'Transpose' ? null : { origin: name, role: null };
  };

  it('flags int8 kernels on a CPU without int8 dot-product instructions, and only there', () => {
    const without = profileDiagnostics(layers, {
      requested: ['cpu'],
      int8Dot: { supported: false, instructions: [], source: 'test' },
      origin,
    });
    const noDot = without.find((d) => d.kind === 'no-int8-dot')!;
    expect(noDot.layers).toEqual(['/c/Conv']);
    expect(noDot.timeShare).toBeCloseTo(0.5);
    const withVnni = profileDiagnostics(layers, {
      requested: ['cpu'],
      int8Dot: { supported: true, instructions: ['avx512_vnni'], source: 'test' },
      origin,
    });
    expect(withVnni.some((d) => d.kind === 'no-int8-dot')).toBe(false);
  });

  it('prices dynamic quantization, unfused Q/DQ and inserted layout nodes, largest first', () => {
    const all = profileDiagnostics(layers, { requested: ['cpu'], origin });
    expect(all.map((d) => d.kind)).toEqual(['dynamic-quantize', 'unfused-qdq', 'ep-inserted']);
    expect(all[0]!.timeShare).toBeCloseTo(0.25);
    for (const d of all) {
      expect(d.message).toMatch(/µs per run/);
      expect(d.fix.length).toBeGreaterThan(20);
    }
  });

  it('prices dynamic quantization per layer with the same statistic as its total: the median, not a mean one stalled run drove', () => {
    const stalled = withShares([
      { ...layer('/c/Conv/strata.quantize-input/DynamicQuantizeLinear', 'DynamicQuantizeLinear', 900), ownP50Us: 20 },
      { ...layer('/c/Conv', 'ConvInteger', 50), ownP50Us: 50 },
      { ...layer('/e/Conv/strata.quantize-input/DynamicQuantizeLinear', 'DynamicQuantizeLinear', 30), ownP50Us: 30 },
    ]);
    const d = profileDiagnostics(stalled, { requested: ['cpu'], origin }).find((x) => x.kind === 'dynamic-quantize')!;
    expect(d.timeUs).toBe(50);
    expect(d.message).toMatch(/per layer the most go to \/e\/Conv 30 µs, \/c\/Conv 20 µs\./);
  });

  it('reads int8 dot-product support from x86 and Arm cpuinfo', () => {
    expect(int8DotFromCpuinfo('flags\t\t: fpu sse2 avx2 avx512f avx512_vnni\n').supported).toBe(true);
    expect(int8DotFromCpuinfo('flags\t\t: fpu sse2 avx2\n')).toMatchObject({ supported: false, instructions: [] });
    expect(int8DotFromCpuinfo('Features\t: fp asimd evtstrm asimddp\n').instructions).toEqual(['asimddp']);
    expect(int8DotFromCpuinfo('processor: 0\n').supported).toBeNull();
  });
});
