// report:open finds a saved report and hands over its bytes unparsed (issue 16): the desktop app
// gets the bytes, browser mode a one-time URL; the page parses them. What it hands over must look
// like a report: a file that plainly is not one is refused in one line, and none of it is echoed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccess } from '../../../../electron/api/file-access.js';
import { createApiHandlers } from '../../../../electron/api/handlers.js';
import { parseReport, serializeReport } from '../../../../electron/core/report/report-json.js';
import { readReport } from '../../../../renderer/api/report-reader.js';
import { checkObjectStart, parseReportFile, startsAsReport } from '../../../../shared/report-check.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { rejectionMessage } from '../../../support/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-report-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = serializeReport(makeReport({ layers: 300, threads: 2, runs: 2 }));
const reportPath = join(dir, 'saved.strata.json');
writeFileSync(reportPath, text);

describe("the look at a file's start", () => {
  it('passes the start of a report, and says what else is not one', () => {
    expect(() => checkObjectStart(text.slice(0, 65536), '"a"')).not.toThrow();
    expect(() => checkObjectStart('root:x:0:0', '"a"')).toThrow('"a" is not JSON, so it is not a Strata report.');
    expect(() => checkObjectStart('  \n', '"a"')).toThrow('"a" is empty, so it is not a Strata report.');
    expect(startsAsReport(text.slice(0, 100))).toBe(true);
    expect(startsAsReport('\uFEFF\n  {\n  "schemaVersion": 1,')).toBe(true);
    expect(startsAsReport('{"traceEvents": [')).toBe(false);
    expect(startsAsReport('{"note": "schemaVersion", "schemaVersion": 2')).toBe(false);
  });

  it('names a comparison for what it is, not a truncated report', () => {
    const comparison = readFileSync(
      join(import.meta.dirname, '../../../fixtures/comparisons/sample-variants.json'),
      'utf8',
    );
    expect(() => parseReportFile(comparison, '"c.json"')).toThrow(
      /"c.json" is a Strata comparison, not a profile report/,
    );
  });
});

describe('report:open in the desktop app (no URL to offer: the bytes go over IPC)', () => {
  const handlers = createApiHandlers({
    mode: 'electron',
    emit: () => {},
    files: new FileAccess(),
    opensPickedPaths: true,
  });

  it('sends the file as it is, which the page reads into the Report the engine parses', async () => {
    const answer = await handlers['report:open'](reportPath);
    expect(answer.fileName).toBe('saved.strata.json');
    if (!('data' in answer)) throw new Error('expected the bytes');
    expect(answer.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(answer.data).equals(readFileSync(reportPath))).toBe(true);
    const read = await readReport(answer, `"${reportPath}"`);
    expect(read.ok && JSON.stringify(read.value)).toBe(JSON.stringify(parseReport(text)));
  });

  it('refuses a file that is not a report without sending or quoting it', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'root:x:0:0:secret-first-line\n');
    const message = await rejectionMessage(handlers['report:open'](secret));
    expect(message).toBe(`"${secret}" is not JSON, so it is not a Strata report.`);
    const model = join(dir, 'empty.json');
    writeFileSync(model, '');
    expect(await rejectionMessage(handlers['report:open'](model))).toMatch(/is empty/);
    expect(await rejectionMessage(handlers['report:open'](join(dir, 'nowhere.json')))).toMatch(
      /There is no report file/,
    );
  });

  it('hands over no JSON file that merely mentions schemaVersion: anything not starting as a report is checked whole', async () => {
    // The page may name any path in the desktop app: a config file of another tool must not come back.
    const config = join(dir, 'config.json');
    writeFileSync(config, '{"note": "schemaVersion", "secret": "hunter2"}\n');
    const message = await rejectionMessage(handlers['report:open'](config));
    expect(message).toMatch(/has no schemaVersion: it is not a Strata report/);
    expect(message).not.toContain('hunter2');
    // A real report whose keys came in another order (an older app export) still opens, checked whole.
    const { schemaVersion, ...rest } = JSON.parse(text) as Record<string, unknown>;
    const reordered = join(dir, 'reordered.strata.json');
    writeFileSync(reordered, JSON.stringify({ ...rest, schemaVersion }));
    const answer = await handlers['report:open'](reordered);
    expect('data' in answer && answer.data.length).toBeGreaterThan(1000);
  });
});

describe('report:open in browser mode (a one-time URL)', () => {
  const offered: { fileName: string; sourcePath: string; bytes: number }[] = [];
  const files = new FileAccess();
  const handlers = createApiHandlers({
    mode: 'browser',
    emit: () => {},
    files,
    offerFile: (file) => {
      offered.push(file);
      return `/download/id${offered.length}?token=t`;
    },
  });

  it('offers the file it checked, and only a file the user opened', async () => {
    expect(await rejectionMessage(handlers['report:open'](reportPath))).toMatch(/was not opened in Strata/);
    files.allowFile(reportPath);
    const answer = await handlers['report:open'](reportPath);
    expect(answer).toEqual({ fileName: 'saved.strata.json', url: '/download/id1?token=t', bytes: text.length });
    expect(offered).toEqual([{ fileName: 'saved.strata.json', sourcePath: reportPath, bytes: text.length }]);
  });
});
