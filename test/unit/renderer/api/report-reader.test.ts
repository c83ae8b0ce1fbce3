// The page reads saved reports itself (issue 16): a picked file, the bytes the desktop app's IPC
// hands over, or a one-time URL in browser mode all give the Report the engine's parser gives, for
// files of schema 1 (rows) and 2 (columns); a truncated or foreign file is one line naming the file.
import { describe, expect, it } from 'vitest';
import { parseReport, serializeReport, serializeReportRows } from '../../../../electron/core/report/report-json.js';
import { readReport } from '../../../../renderer/api/report-reader.js';
import type { Result } from '../../../../shared/errors.js';
import type { Report } from '../../../../shared/report.js';
import { makeReport } from '../../../fixtures/make-report.js';

const report = makeReport({ layers: 400, threads: 2, runs: 2 });
const packed = serializeReport(report);
const asPlain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function opened(result: Result<Report>): Report {
  if (!result.ok) throw new Error(`expected a report, got: ${result.error.message}`);
  return result.value;
}

function failed(result: Result<Report>): string {
  if (result.ok) throw new Error('expected an error, got a report');
  expect(result.error.code).toBe('IO_ERROR');
  expect(result.error.message).not.toContain('\n');
  return result.error.message;
}

describe('readReport', () => {
  it('reads a picked file of schema 2 into the Report the engine parses, its events when first read', async () => {
    const value = opened(await readReport(new Blob([packed]), '"big.strata.json"'));
    expect(value.schemaVersion).toBe(1);
    expect(value.layers).toHaveLength(400);
    // The events are made on first read, and are then the rows the report was written with.
    expect(value.runs[1]!.events).toEqual(report.runs[1]!.events);
    expect(asPlain(value)).toEqual(asPlain(parseReport(packed)));
    expect(asPlain(value)).toEqual(asPlain(report));
  });

  it('gives the events to JSON.stringify and structured clone (exports, IPC) before anything read them', async () => {
    const value = opened(await readReport(new Blob([packed]), '"big.strata.json"'));
    expect(structuredClone(value).runs[0]!.events).toEqual(report.runs[0]!.events);
    const again = opened(await readReport(new Blob([packed]), '"big.strata.json"'));
    expect((JSON.parse(JSON.stringify(again)) as Report).runs[0]!.events).toEqual(asPlain(report.runs[0]!.events));
  });

  it('reads a file of schema 1 (rows), as older Strata wrote', async () => {
    const rows = serializeReportRows(report);
    expect(rows).toContain('"schemaVersion":1');
    expect(asPlain(opened(await readReport(new Blob([rows]), '"old.json"')))).toEqual(asPlain(report));
  });

  it('reads the bytes the desktop app sends and the one-time URL browser mode answers', async () => {
    const data = new TextEncoder().encode(packed);
    expect(asPlain(opened(await readReport({ fileName: 'r.json', data }, '"r.json"')))).toEqual(asPlain(report));
    const asked: string[] = [];
    const fetcher = (async (url: string) => {
      asked.push(url);
      return new Response(packed);
    }) as typeof fetch;
    const byUrl = await readReport(
      { fileName: 'r.json', url: '/download/abc?token=t', bytes: data.length },
      '"r.json"',
      fetcher,
    );
    expect(asPlain(opened(byUrl))).toEqual(asPlain(report));
    expect(asked).toEqual(['/download/abc?token=t']);
  });

  it('says in one line that a truncated report is not JSON, naming the file and quoting none of it', async () => {
    const message = failed(await readReport(new Blob([packed.slice(0, packed.length / 2)]), '"cut.strata.json"'));
    expect(message).toMatch(/^"cut\.strata\.json" is not JSON.*so it is not a Strata report\.$/);
    expect(message).not.toContain('Gather');
  });

  it('refuses a JSON file that is not a report, and one whose sections are missing', async () => {
    expect(failed(await readReport(new Blob(['{"traceEvents": []}']), '"trace.json"'))).toMatch(/has no schemaVersion/);
    expect(failed(await readReport(new Blob(['{"schemaVersion": 2, "model": {}}']), '"x.json"'))).toMatch(
      /missing the report sections device, settings.*may be truncated/,
    );
    expect(failed(await readReport(new Blob(['{"schemaVersion": 9}']), '"x.json"'))).toMatch(/newer Strata/);
  });

  it('says a used or expired one-time URL cannot be read, and what to do', async () => {
    const gone = (async () => new Response('This download has expired', { status: 404 })) as unknown as typeof fetch;
    const message = failed(await readReport({ fileName: 'r.json', url: '/download/x', bytes: 1 }, '"r.json"', gone));
    expect(message).toBe('Could not read "r.json": its one-time link was already used or has expired. Open it again.');
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(failed(await readReport({ fileName: 'r.json', url: '/download/x', bytes: 1 }, '"r.json"', down))).toBe(
      'Could not read "r.json": Failed to fetch. Open it again.',
    );
  });
});
