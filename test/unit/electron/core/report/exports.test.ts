import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../../../../electron/core/profile/layer-stats.js';
import { summarizeLatency } from '../../../../../electron/core/profile/stats.js';
import { parseOrtTrace } from '../../../../../electron/core/profile/trace.js';
import { toChromeTrace } from '../../../../../electron/core/report/chrome-trace.js';
import { csvField, layersToCsv } from '../../../../../electron/core/report/csv.js';
import { escapeHtml } from '../../../../../shared/html-escape.js';
import { jsonForScript } from '../../../../../electron/core/report/html.js';
import { parseReport, serializeReport, serializeReportRows } from '../../../../../electron/core/report/report-json.js';
import { defaultPlan } from '../../../../../shared/plan.js';
import type { Report } from '../../../../../shared/report.js';
import { REPO } from '../../../../fixtures/paths.js';

// A report whose layers and runs come from a recorded trace; the rest is plain literals.
function reportFromTrace(): Report {
  const events = parseOrtTrace(
    JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'traces', 'convnet.json'), 'utf8')),
  );
  const a = analyzeTrace(events, { warmupRuns: 1 });
  const layers = a.layers.map((l, i) => (i === 0 ? { ...l, name: 'conv, "first" </script><!--' } : l));
  return {
    schemaVersion: 1,
    strataVersion: '0.1.0',
    createdAt: '2026-11-24T00:00:00.000Z',
    model: {
      path: '/m/convnet.onnx',
      fileName: 'convnet.onnx',
      sha256: 'a'.repeat(64),
      bytes: 1000,
      producer: 'strata',
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      nodeCount: 12,
      parameterCount: 10,
      parameterBytes: 40,
      inputs: [],
      outputs: [],
      opHistogram: [],
    },
    device: { cpu: 'cpu', cores: 2, threads: 2, memoryBytes: 1, os: 'os', arch: 'x64', onnxruntimeVersion: '1.30.0' },
    settings: { plan: defaultPlan(), inputs: [] },
    eps: { requested: ['cpu'], used: a.providersUsed },
    notes: [],
    session: { ...a.session, createMs: 1 },
    latency: summarizeLatency(2, [1, 2, 3, 4]),
    profiledRunMeanMs: a.profiledRunMeanMs,
    overhead: a.overhead,
    layers,
    opTypes: a.opTypes,
    runs: a.runs,
    memory: { peakRssBytes: 1, arenaPeakBytes: a.arenaPeakBytes, rssAfterLoadBytes: 1 },
  };
}

describe('report exports', () => {
  const report = reportFromTrace();

  it('round-trips JSON and refuses newer or foreign files in words', () => {
    expect(parseReport(serializeReport(report))).toEqual(report);
    expect(() => parseReport(JSON.stringify({ ...report, schemaVersion: 3 }))).toThrow(/newer Strata \(schema 3;/);
    // A schema-1 file (rows, as Strata wrote before the tables went by column) still opens.
    expect(parseReport(JSON.stringify(report, null, 1))).toEqual(report);
    expect(() => parseReport('{"traceEvents": []}')).toThrow(/no schemaVersion/);
    expect(() => parseReport('not json')).toThrow(/not JSON/);
  });

  it('writes one CSV row per layer, quoting names with commas and quotes', () => {
    const lines = layersToCsv(report).trimEnd().split('\r\n');
    expect(lines).toHaveLength(report.layers.length + 1);
    expect(lines[0]).toMatch(/^index,name,op_type,module_path,provider/);
    expect(lines[1]).toContain('"conv, ""first"" </script><!--"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
  });

  it('writes a Chrome trace with named tracks and each kernel inside its run', () => {
    const trace = toChromeTrace(report);
    const meta = trace.traceEvents.filter((e) => e.ph === 'M');
    expect(meta.some((e) => e.name === 'process_name')).toBe(true);
    expect(meta.filter((e) => e.name === 'thread_name').length).toBeGreaterThan(0);
    const runs = trace.traceEvents.filter((e) => e.cat === 'run');
    const kernels = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat !== 'run');
    expect(kernels).toHaveLength(report.runs.reduce((s, r) => s + r.events.length, 0));
    for (const k of kernels) {
      expect(typeof k.ts).toBe('number');
      expect(typeof k.dur).toBe('number');
      const run = runs.find((r) => r.tid === k.tid && r.ts! <= k.ts! && k.ts! + k.dur! <= r.ts! + r.dur!);
      expect(run, `${k.name} lies inside a run`).toBeDefined();
    }
  });

  it('escapes text and embedded JSON for HTML', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    const embedded = jsonForScript(serializeReportRows(report));
    expect(embedded).not.toMatch(/<\/script/i);
    expect(embedded).not.toContain('<!--');
    expect(JSON.parse(embedded)).toEqual(report);
  });
});
