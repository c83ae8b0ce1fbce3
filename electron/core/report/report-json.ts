/**
 * Reports as JSON files: written with a stable key order, read back with a version check so a
 * report from a newer Strata is refused in words rather than misread.
 */
import { packReport, reportFromFile } from '../../../shared/report-pack.js';
import { parseReportFile } from '../../../shared/report-check.js';
import type { Report } from '../../../shared/report.js';

// The check lives in shared/ because the page runs it too, on the bytes it reads itself.
export { parseReportFile };

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

/** Parses a report file's text. Throws IO_ERROR naming what is wrong. */
export function parseReport(text: string, source = 'The file'): Report {
  return reportFromFile(parseReportFile(text, source));
}
