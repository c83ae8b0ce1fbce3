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
import { checkReportHead } from '../../../../shared/report-check.js';
import { makeReport } from '../../../fixtures/make-report.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-report-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = serializeReport(makeReport({ layers: 300, threads: 2, runs: 2 }));
const reportPath = join(dir, 'saved.strata.json');
writeFileSync(reportPath, text);

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('it succeeded');
}

describe('checkReportHead', () => {
  it('passes the start of a report, and says what else is not one', () => {
    expect(() => checkReportHead(text.slice(0, 65536), '"a"')).not.toThrow();
    expect(() => checkReportHead('\uFEFF\n  {\n  "schemaVersion": 1,', '"a"')).not.toThrow();
    expect(() => checkReportHead('root:x:0:0', '"a"')).toThrow('"a" is not JSON, so it is not a Strata report.');
    expect(() => checkReportHead('  \n', '"a"')).toThrow('"a" is empty, so it is not a Strata report.');
    expect(() => checkReportHead('{"traceEvents": [', '"a"')).toThrow(/"a" has no schemaVersion/);
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
    const message = await failure(handlers['report:open'](secret));
    expect(message).toBe(`"${secret}" is not JSON, so it is not a Strata report.`);
    const model = join(dir, 'empty.json');
    writeFileSync(model, '');
    expect(await failure(handlers['report:open'](model))).toMatch(/is empty/);
    expect(await failure(handlers['report:open'](join(dir, 'nowhere.json')))).toMatch(/There is no report file/);
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
    expect(await failure(handlers['report:open'](reportPath))).toMatch(/was not opened in Strata/);
    files.allowFile(reportPath);
    const answer = await handlers['report:open'](reportPath);
    expect(answer).toEqual({ fileName: 'saved.strata.json', url: '/download/id1?token=t', bytes: text.length });
    expect(offered).toEqual([{ fileName: 'saved.strata.json', sourcePath: reportPath, bytes: text.length }]);
  });
});
