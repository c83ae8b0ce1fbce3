import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseReport,
  parseReportFile,
  serializeReport,
  serializeReportChunks,
} from '../../../../../electron/core/report/report-json.js';
import { renderExport, writeReportExports } from '../../../../../electron/core/report/write-exports.js';
import type { Report } from '../../../../../shared/report.js';
import { isPackedTable, reportFromFile } from '../../../../../shared/report-pack.js';
import { makeReport } from '../../../../fixtures/make-report.js';

describe('a report file as report:open hands it over', () => {
  it('keeps the big tables by column, and the UI’s reportFromFile gives the report parseReport gives', () => {
    const text = serializeReport(makeReport({ layers: 300, threads: 2, runs: 2 }));
    const file = parseReportFile(text, 'The file');
    expect(isPackedTable(file.layers)).toBe(true);
    expect(reportFromFile(file)).toEqual(parseReport(text, 'The file'));
    expect(reportFromFile(file).layers).toHaveLength(300);
  });

  it('refuses what is not a report in the same words', () => {
    expect(() => parseReportFile('{"traceEvents": []}', '"x.json"')).toThrow(/has no schemaVersion/);
  });
});

describe('the JSON export in pieces', () => {
  it('joins to exactly serializeReport, undefined fields and NaN included, in pieces of about a megabyte', () => {
    const base = makeReport({ layers: 20_000, threads: 2, runs: 2 });
    const report = {
      ...base,
      extra: undefined,
      notes: [...base.notes, 'é "quoted"'],
      profiledRunMeanMs: NaN,
    } as Report;
    const pieces = [...serializeReportChunks(report)];
    expect(pieces.join('')).toBe(serializeReport(report));
    expect(pieces.length).toBeGreaterThan(2);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(4 * 2 ** 20);
  });

  it('is what writeReportExports writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-json-pieces-'));
    try {
      const report = makeReport({ layers: 3_000, threads: 2, runs: 2 });
      const path = join(dir, 'out', 'r.strata.json');
      await writeReportExports(report, { json: path });
      expect(readFileSync(path, 'utf8')).toBe(serializeReport(report));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what the app saves: the export hands over pieces, not one string', async () => {
    const report = makeReport({ layers: 20_000, threads: 2, runs: 2 });
    const file = await renderExport(report, 'json');
    expect(file.fileName).toBe(`${report.model.fileName.replace(/\.onnx$/i, '')}.strata.json`);
    expect(typeof file.content).not.toBe('string');
    const pieces = [...(file.content as Iterable<string>)];
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(serializeReport(report));
  });
});
