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
import { REPORT_SCHEMA_VERSION, type Report } from './report.js';

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
  for (const row of rows)
    for (const key in row)
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
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
  const columns = keys.map((key) => table.$columns[key]!);
  // Per column, which rows lack the key (null where every row has it, the common case).
  const absent = keys.map((key) => {
    const missing = table.$absent?.[key];
    if (!missing?.length) return null;
    const flags = new Uint8Array(table.$rows);
    for (const i of missing) flags[i] = 1;
    return flags;
  });
  const rows = new Array<T>(table.$rows);
  for (let i = 0; i < table.$rows; i++) {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) if (absent[k]?.[i] !== 1) row[keys[k]!] = columns[k]![i];
    rows[i] = row as T;
  }
  return rows;
}

// LayerStats keys every layer has, in the schema's order. A layer is built as one object literal of
// these (fast: one shape), then any other column is added: a generic unpack of 50,000 layers of
// 30 keys each took a second, one keyed store at a time.
const LAYER_KEYS = [
  'index',
  'name',
  'opType',
  'modulePath',
  'provider',
  'inputShapes',
  'outputShapes',
  'inputTypes',
  'calls',
  'meanUs',
  'p50Us',
  'p90Us',
  'minUs',
  'maxUs',
  'share',
  'firstStartUs',
  'flops',
  'gflopsPerSec',
  'activationBytes',
  'parameterBytes',
  'outputBytes',
  'arenaInUseBytes',
  'gpuUs',
];

/** The layers table back as rows; the same result as unpackTable, faster. */
export function unpackLayers<T>(table: PackedTable): T[] {
  const c = table.$columns as Record<string, readonly unknown[]>;
  if (LAYER_KEYS.some((key) => !c[key] || table.$absent?.[key])) return unpackTable<T>(table);
  const {
    index,
    name,
    opType,
    modulePath,
    provider,
    inputShapes,
    outputShapes,
    inputTypes,
    calls,
    meanUs,
    p50Us,
    p90Us,
    minUs,
    maxUs,
    share,
    firstStartUs,
    flops,
    gflopsPerSec,
    activationBytes,
    parameterBytes,
    outputBytes,
    arenaInUseBytes,
    gpuUs,
  } = c as Record<string, readonly unknown[]>;
  const others = Object.keys(c).filter((key) => !LAYER_KEYS.includes(key));
  const rest = unpackTable<Record<string, unknown>>({
    $rows: table.$rows,
    $columns: Object.fromEntries(others.map((key) => [key, c[key]!])),
    ...(table.$absent ? { $absent: table.$absent } : {}),
  });
  const rows = new Array<T>(table.$rows);
  for (let i = 0; i < table.$rows; i++) {
    rows[i] = Object.assign(
      {
        index: index![i],
        name: name![i],
        opType: opType![i],
        modulePath: modulePath![i],
        provider: provider![i],
        inputShapes: inputShapes![i],
        outputShapes: outputShapes![i],
        inputTypes: inputTypes![i],
        calls: calls![i],
        meanUs: meanUs![i],
        p50Us: p50Us![i],
        p90Us: p90Us![i],
        minUs: minUs![i],
        maxUs: maxUs![i],
        share: share![i],
        firstStartUs: firstStartUs![i],
        flops: flops![i],
        gflopsPerSec: gflopsPerSec![i],
        activationBytes: activationBytes![i],
        parameterBytes: parameterBytes![i],
        outputBytes: outputBytes![i],
        arenaInUseBytes: arenaInUseBytes![i],
        gpuUs: gpuUs![i],
      },
      rest[i],
    ) as T;
  }
  return rows;
}

/** True for a value packTable wrote. */
export function isPackedTable(value: unknown): value is PackedTable {
  return !!value && typeof value === 'object' && !Array.isArray(value) && '$columns' in value && '$rows' in value;
}

/** The report with its big tables by column, as written to a file. */
export function packReport(report: Report): Record<string, unknown> {
  // schemaVersion first whatever order the report's keys came in (one the page unpacked starts
  // with runs): readers look for it at the start of the file (startsAsReport).
  return Object.assign({ schemaVersion: PACKED_REPORT_SCHEMA_VERSION } as Record<string, unknown>, report, {
    schemaVersion: PACKED_REPORT_SCHEMA_VERSION,
    layers: packTable(report.layers as unknown as Row[]),
    runs: report.runs.map((run) => ({ ...run, events: packTable(run.events as unknown as Row[]) })),
    ...(report.roofline
      ? { roofline: { ...report.roofline, points: packTable(report.roofline.points as unknown as Row[]) } }
      : {}),
    ...(report.coldStart
      ? { coldStart: { ...report.coldStart, layers: packTable(report.coldStart.layers as unknown as Row[]) } }
      : {}),
  });
}

/** A report file's JSON value with any packed tables back as rows; `schemaVersion` as in memory. */
export function unpackReport(json: Record<string, unknown>, schemaVersion: number): Record<string, unknown> {
  if (json.schemaVersion !== PACKED_REPORT_SCHEMA_VERSION) return json;
  const rows = <T>(value: unknown): T[] | unknown => (isPackedTable(value) ? unpackTable<T>(value) : value);
  const out: Record<string, unknown> = {
    ...json,
    schemaVersion,
    layers: isPackedTable(json.layers) ? unpackLayers(json.layers) : json.layers,
  };
  if (Array.isArray(json.runs))
    out.runs = json.runs.map((run: Record<string, unknown>) =>
      isPackedTable(run?.events) ? withLazyRows({ ...run }, 'events', run.events) : { ...run, events: run?.events },
    );
  const roofline = json.roofline as Record<string, unknown> | undefined;
  if (roofline) out.roofline = { ...roofline, points: rows(roofline.points) };
  const coldStart = json.coldStart as Record<string, unknown> | undefined;
  if (coldStart) out.coldStart = { ...coldStart, layers: rows(coldStart.layers) };
  return out;
}

/**
 * `target` with `key` the rows of `table`, made on first read: each run's timeline events (180,000
 * rows in a 50,000-layer report) are read only by the Timeline, Flame graph and exports, so opening
 * a report does not wait for them. An ordinary enumerable property once read; JSON.stringify and
 * structured clone read it like any other.
 */
function withLazyRows(target: Record<string, unknown>, key: string, table: PackedTable): Record<string, unknown> {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const rows = unpackTable(table);
      Object.defineProperty(target, key, { value: rows, enumerable: true, writable: true, configurable: true });
      return rows;
    },
    set(value: unknown) {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    },
  });
  return target;
}

/**
 * A report file's checked JSON value, big tables still by column (parseReportFile in
 * shared/report-check.ts); reportFromFile turns it into a Report.
 */
export type ReportFile = Readonly<Record<string, unknown>> & { readonly schemaVersion: number };

/** A checked report file's value as the in-memory Report (schema 1, rows). */
export function reportFromFile(file: ReportFile): Report {
  return { runs: [], notes: [], ...unpackReport(file, REPORT_SCHEMA_VERSION) } as unknown as Report;
}
