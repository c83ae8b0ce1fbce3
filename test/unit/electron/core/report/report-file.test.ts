import { describe, expect, it } from 'vitest';
import { parseReport, parseReportFile, serializeReport } from '../../../../../electron/core/report/report-json.js';
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
