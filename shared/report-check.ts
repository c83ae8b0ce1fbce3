/**
 * The check of a report file's text, run wherever its bytes are read: by the engine (the CLI,
 * exports) and by the page, which reads a report itself (a picked file, or the bytes `report:open`
 * points it at) so the engine never parses 26 MB only to send it on. Errors are one line saying
 * what is wrong with the file; they never quote its contents.
 */
import { StrataError } from './errors.js';
import { PACKED_REPORT_SCHEMA_VERSION, type ReportFile } from './report-pack.js';
import type { Report } from './report.js';

const REQUIRED: (keyof Report)[] = [
  'schemaVersion',
  'model',
  'device',
  'settings',
  'latency',
  'layers',
  'opTypes',
  'memory',
];

/** Parses and checks a report file's text, leaving its tables as the file has them. Throws IO_ERROR naming what is wrong. */
export function parseReportFile(text: string, source = 'The file'): ReportFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text it choked on: never echo a file's contents, only where it broke.
    const at = /position (\d+)/.exec((err as Error).message);
    throw new StrataError(
      'IO_ERROR',
      `${source} is not JSON${at ? ` (it breaks at character ${at[1]})` : ''}, so it is not a Strata report.`,
    );
  }
  return checkReportValue(json, source);
}

/**
 * The checks of parseReportFile on a value already parsed: a report the page sends to be exported
 * arrived as a value, and going through text again would cost a 49 MB string for a big one.
 */
export function checkReportValue(json: unknown, source = 'The file'): ReportFile {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new StrataError('IO_ERROR', `${source} holds JSON but not a Strata report object.`);
  }
  const report = json as Partial<Report>;
  if (typeof report.schemaVersion !== 'number') {
    throw new StrataError(
      'IO_ERROR',
      `${source} has no schemaVersion: it is not a Strata report (a Chrome trace or comparison, perhaps).`,
    );
  }
  if (report.schemaVersion > PACKED_REPORT_SCHEMA_VERSION) {
    throw new StrataError(
      'IO_ERROR',
      `This report was written by a newer Strata (schema ${report.schemaVersion}; this one reads up to ${PACKED_REPORT_SCHEMA_VERSION}). Update Strata to open it.`,
    );
  }
  // A comparison's file has a schemaVersion too: say what it is rather than call it truncated.
  if ('models' in report && !('model' in report))
    throw new StrataError(
      'IO_ERROR',
      `${source} is a Strata comparison, not a profile report: open its HTML export in a browser, or compare the models again in Compare.`,
    );
  const missing = REQUIRED.filter((key) => !(key in report));
  if (missing.length)
    throw new StrataError(
      'IO_ERROR',
      `${source} is missing the report sections ${missing.join(', ')}; it may be truncated.`,
    );
  // Files of schema 2 hold the same report with its big tables by column; in memory it is schema 1.
  return report as ReportFile;
}

/** How much of a report file `report:open` looks at first: Strata writes schemaVersion as its first key. */
export const REPORT_HEAD_BYTES = 64 * 1024;

/** Throws IO_ERROR, in parseReportFile's words, unless `head` starts a JSON object. */
export function checkObjectStart(head: string, source = 'The file'): void {
  const first = /\S/.exec(head.replace(/^\uFEFF/, ''))?.[0];
  if (first !== '{')
    throw new StrataError(
      'IO_ERROR',
      first === undefined
        ? `${source} is empty, so it is not a Strata report.`
        : `${source} is not JSON, so it is not a Strata report.`,
    );
}

/**
 * True when the text starts as Strata writes a report, `{"schemaVersion": N` (any whitespace, a
 * BOM): only such a file may be handed over on a look at its start. A key merely mentioned later
 * (`{"note": "schemaVersion", ...}`) proves nothing, so anything else is checked whole first.
 */
export function startsAsReport(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"schemaVersion"\s*:\s*\d/.test(head);
}
