/**
 * The report as a file: its big tables (layers, each run's timeline events, roofline points, cold-start
 * layers) stored by column instead of as arrays of objects. Keys repeated per row were most of a
 * 50,000-layer report's 61 MB; by column it is a quarter of that and parses faster. In memory the
 * Report keeps its row shape: `packReport` before writing, `unpackReport` after reading.
 *
 * Worked example: [{ a: 1, b: 'x' }, { a: 2 }] packs to
 * { $rows: 2, $columns: { a: [1, 2], b: ['x', null] }, $absent: { b: [1] } }: a key a row lacks is
 * listed under $absent, so `null` values and missing keys come back as they were.
 */
import type { Report } from './report.js';

/** Schema version of a packed report file; an older Strata (which reads up to 1) refuses it in words. */
export const PACKED_REPORT_SCHEMA_VERSION = 2;

/** A table of rows stored by column. */
export interface PackedTable {
  readonly $rows: number;
  readonly $columns: Readonly<Record<string, readonly unknown[]>>;
  readonly $absent?: Readonly<Record<string, readonly number[]>>;
}

type Row = Readonly<Record<string, unknown>>;

/** Rows as columns. */
export function packTable(rows: readonly Row[]): PackedTable {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) for (const key in row) if (!seen.has(key)) (seen.add(key), keys.push(key));
  const columns: Record<string, unknown[]> = {};
  const absent: Record<string, number[]> = {};
  for (const key of keys) {
    const column = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (key in row && row[key] !== undefined) column[i] = row[key];
      else {
        column[i] = null;
        (absent[key] ??= []).push(i);
      }
    }
    columns[key] = column;
  }
  return { $rows: rows.length, $columns: columns, ...(Object.keys(absent).length ? { $absent: absent } : {}) };
}

/** Columns back as rows, keys in their first-seen order. */
export function unpackTable<T>(table: PackedTable): T[] {
  const keys = Object.keys(table.$columns);
  const absent = new Map(Object.entries(table.$absent ?? {}).map(([key, rows]) => [key, new Set(rows)]));
  const rows = new Array<T>(table.$rows);
  for (let i = 0; i < table.$rows; i++) {
    const row: Record<string, unknown> = {};
    for (const key of keys) if (!absent.get(key)?.has(i)) row[key] = table.$columns[key]![i];
    rows[i] = row as T;
  }
  return rows;
}

/** True for a value packTable wrote. */
export function isPackedTable(value: unknown): value is PackedTable {
  return !!value && typeof value === 'object' && !Array.isArray(value) && '$columns' in value && '$rows' in value;
}

/** The report with its big tables by column, as written to a file. */
export function packReport(report: Report): Record<string, unknown> {
  return {
    ...report,
    schemaVersion: PACKED_REPORT_SCHEMA_VERSION,
    layers: packTable(report.layers as unknown as Row[]),
    runs: report.runs.map((run) => ({ ...run, events: packTable(run.events as unknown as Row[]) })),
    ...(report.roofline ? { roofline: { ...report.roofline, points: packTable(report.roofline.points as unknown as Row[]) } } : {}),
    ...(report.coldStart ? { coldStart: { ...report.coldStart, layers: packTable(report.coldStart.layers as unknown as Row[]) } } : {}),
  };
}

/** A report file's JSON value with any packed tables back as rows; `schemaVersion` as in memory. */
export function unpackReport(json: Record<string, unknown>, schemaVersion: number): Record<string, unknown> {
  if (json.schemaVersion !== PACKED_REPORT_SCHEMA_VERSION) return json;
  const rows = <T,>(value: unknown): T[] | unknown => (isPackedTable(value) ? unpackTable<T>(value) : value);
  const out: Record<string, unknown> = { ...json, schemaVersion, layers: rows(json.layers) };
  if (Array.isArray(json.runs)) out.runs = json.runs.map((run: Record<string, unknown>) => ({ ...run, events: rows(run?.events) }));
  const roofline = json.roofline as Record<string, unknown> | undefined;
  if (roofline) out.roofline = { ...roofline, points: rows(roofline.points) };
  const coldStart = json.coldStart as Record<string, unknown> | undefined;
  if (coldStart) out.coldStart = { ...coldStart, layers: rows(coldStart.layers) };
  return out;
}
