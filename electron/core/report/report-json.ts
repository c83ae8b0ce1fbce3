/**
 * Reports as JSON files: written with a stable key order, read back with a version check so a
 * report from a newer Strata is refused in words rather than misread.
 */
import { StrataError } from '../../../shared/errors.js';
import {
  PACKED_REPORT_SCHEMA_VERSION,
  packReport,
  reportFromFile,
  type ReportFile,
} from '../../../shared/report-pack.js';
import type { Report } from '../../../shared/report.js';

/**
 * The report as a file's JSON: compact, its big tables by column (shared/report-pack.ts); a
 * 50,000-layer report is 15 MB instead of 61. Infinity and NaN (never expected) become null.
 */
export function serializeReport(report: Report): string {
  return JSON.stringify(packReport(report)) + '\n';
}

/**
 * serializeReport's text in pieces of about a megabyte, for writing a big report without holding
 * it as one string (a 50,000-layer report is 18 MB of JSON). Joined, the pieces are serializeReport's.
 */
export function* serializeReportChunks(report: Report): Generator<string> {
  let batch = '';
  for (const piece of jsonPieces(packReport(report))) {
    batch += piece;
    if (batch.length >= CHUNK_CHARS) {
      yield batch;
      batch = '';
    }
  }
  yield batch + '\n';
}

const CHUNK_CHARS = 1 << 20;

// A value as JSON.stringify writes it, in pieces: objects key by key, arrays of objects or arrays
// element by element, arrays of plain values (a table's column of numbers or names) whole.
function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || 'toJSON' in value) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      yield JSON.stringify(value);
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const v: unknown = value[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') yield 'null';
      else yield* jsonPieces(v);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // JSON.stringify leaves them out
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(v);
  }
  yield '}';
}

/** The report as compact JSON in its in-memory row shape, for pages that read it as it is (the HTML report). */
export function serializeReportRows(report: Report): string {
  return JSON.stringify(report);
}

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

/** Parses a report file's text. Throws IO_ERROR naming what is wrong. */
export function parseReport(text: string, source = 'The file'): Report {
  return reportFromFile(parseReportFile(text, source));
}

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
  const missing = REQUIRED.filter((key) => !(key in report));
  if (missing.length)
    throw new StrataError(
      'IO_ERROR',
      `${source} is missing the report sections ${missing.join(', ')}; it may be truncated.`,
    );
  // Files of schema 2 hold the same report with its big tables by column; in memory it is schema 1.
  fileTexts.set(report, text);
  return report as ReportFile;
}

// The text each checked report file value was parsed from, for as long as the value lives.
const fileTexts = new WeakMap<object, string>();

/**
 * The JSON text a value from parseReportFile was parsed from (checked, so it is that value as
 * JSON), or undefined for any other value: the WebSocket answer sends it as it is instead of
 * serialising 26 MB of a 50,000-layer report again.
 */
export function reportFileText(value: unknown): string | undefined {
  return value && typeof value === 'object' ? fileTexts.get(value) : undefined;
}
