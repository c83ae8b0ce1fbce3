// Which files the API opens (issue 11 item 4): in browser mode only files the user chose or Strata
// wrote; in the desktop app any path may be opened as a model or a report (the page's file input
// gives real paths), but nothing read is ever echoed and nothing else is read until it was opened.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccess } from '../../../../electron/api/file-access.js';
import { writeFileToSave } from '../../../../electron/api/file-to-save.js';
import { createApiHandlers } from '../../../../electron/api/handlers.js';
import { serializeReport } from '../../../../electron/core/report/report-json.js';
import { parseReportFile } from '../../../../shared/report-check.js';
import { reportFromFile } from '../../../../shared/report-pack.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { SAMPLE } from '../../../fixtures/paths.js';
import { rejectionMessage } from '../../../support/rejection.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-file-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secret = join(dir, 'secret.txt');
writeFileSync(secret, 'root:x:0:0:secret-first-line\n');

describe('FileAccess', () => {
  it('allows chosen files, files inside allowed folders, and recent files; nothing else', async () => {
    const access = new FileAccess(async () => [
      { path: join(dir, 'recent.onnx'), fileName: 'recent.onnx', openedAt: '' },
    ]);
    access.allowFile(join(dir, 'chosen.onnx'));
    access.allowFolder(join(dir, 'uploads'));
    expect(await access.allows(join(dir, 'chosen.onnx'))).toBe(true);
    expect(await access.allows(join(dir, 'recent.onnx'))).toBe(true);
    expect(await access.allows(secret)).toBe(false);
    expect(await access.allows('/etc/passwd')).toBe(false);
    expect(await rejectionMessage(access.check(secret, 'The report'))).toMatch(/was not opened in Strata/);
  });

  it('refuses a chosen path that is not a regular file', async () => {
    const access = new FileAccess();
    access.allowFile('/dev/zero');
    expect(await rejectionMessage(access.check('/dev/zero', 'The model'))).toMatch(/not a regular file/);
  });
});

describe("the desktop app's API", () => {
  const handlers = createApiHandlers({
    mode: 'electron',
    emit: () => {},
    files: new FileAccess(),
    opensPickedPaths: true,
    // As main does after its save dialog, with the path chosen here instead of by a person.
    saveFile: async (file) => {
      const to = join(dir, `saved-${file.fileName}`);
      await writeFileToSave(file, to);
      return { fileName: file.fileName, savedTo: to };
    },
  });

  it('opens any picked path as a model or report, without echoing what it read', async () => {
    const asModel = await rejectionMessage(handlers['model:open'](secret));
    expect(asModel).toMatch(/not an ONNX model/);
    expect(asModel).not.toContain('secret-first-line');
    const asReport = await rejectionMessage(handlers['report:open'](secret));
    expect(asReport).toMatch(/is not JSON/);
    expect(asReport).not.toContain('root:x');
    expect(await rejectionMessage(handlers['model:open']('/dev/zero'))).toMatch(/not a regular file/);
  });

  it('reads no other file until it was opened as a model', async () => {
    expect(await rejectionMessage(handlers['model:download'](secret))).toMatch(/was not opened in Strata/);
    const model = join(dir, 'picked.onnx');
    copyFileSync(SAMPLE, model);
    expect(await rejectionMessage(handlers['model:download'](model))).toMatch(/was not opened in Strata/);
    await handlers['model:open'](model);
    const saved = await handlers['model:download'](model);
    expect(saved).toEqual({ fileName: 'picked.onnx', savedTo: join(dir, 'saved-picked.onnx') });
    expect(readFileSync(join(dir, 'saved-picked.onnx')).equals(readFileSync(SAMPLE))).toBe(true);
  });

  it('saves a JSON export written in pieces where the save dialog points, and it opens back', async () => {
    const report = makeReport({ layers: 5_000, threads: 2, runs: 2 });
    const saved = await handlers['report:export']({ report, format: 'json' });
    const to = join(dir, `saved-${report.model.fileName.replace(/\.onnx$/i, '')}.strata.json`);
    expect(saved).toEqual({ fileName: basename(to).slice('saved-'.length), savedTo: to });
    expect(JSON.parse(readFileSync(to, 'utf8')).layers).toEqual(JSON.parse(serializeReport(report)).layers);
    const answer = await handlers['report:open'](to);
    if (!('data' in answer)) throw new Error('the desktop app gets the bytes');
    const opened = reportFromFile(parseReportFile(Buffer.from(answer.data).toString('utf8')));
    expect(opened.model.fileName).toBe(report.model.fileName);
    expect(opened.layers).toHaveLength(report.layers.length);
  });
});
