/**
 * Writes a report's exports to files: the one place that maps a format to its renderer, used by
 * `strata profile`, `strata report` and the app's export.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExportFormat, ExportedFile } from '../../../shared/api.js';
import { StrataError, assertNever } from '../../../shared/errors.js';
import type { Report } from '../../../shared/report.js';
import { toChromeTrace } from './chrome-trace.js';
import { layersToCsv } from './csv.js';
import { renderHtmlReport } from './html.js';
import { serializeReportChunks } from './report-json.js';
import { writeFileAtomic } from '../atomic-write.js';
import { describeWriteError } from '../write-error.js';

/** Renders `report` in `format`, with a file name derived from the model's. */
export async function renderExport(report: Report, format: ExportFormat): Promise<ExportedFile> {
  const base = report.model.fileName.replace(/\.onnx$/i, '') || 'model';
  switch (format) {
    case 'json':
      // In pieces, never one string: a 50,000-layer report is 18 MB of it.
      return { fileName: `${base}.strata.json`, mimeType: 'application/json', content: serializeReportChunks(report) };
    case 'csv':
      return { fileName: `${base}.layers.csv`, mimeType: 'text/csv', content: layersToCsv(report) };
    case 'trace':
      return {
        fileName: `${base}.trace.json`,
        mimeType: 'application/json',
        content: JSON.stringify(toChromeTrace(report)),
      };
    case 'html':
      return { fileName: `${base}.report.html`, mimeType: 'text/html', content: await renderHtmlReport(report) };
    default:
      return assertNever(format);
  }
}

/** Writes each requested export (format -> path) and returns the paths written, in order. */
export async function writeReportExports(
  report: Report,
  outputs: Partial<Record<ExportFormat, string | undefined>>,
): Promise<string[]> {
  const written: string[] = [];
  for (const format of ['json', 'csv', 'trace', 'html'] as const) {
    const path = outputs[format];
    if (!path) continue;
    await writeOutputFile(path, (await renderExport(report, format)).content);
    written.push(path);
  }
  return written;
}

/**
 * Writes `content` to `path`, creating its folder; errors name the path, the real cause (disk
 * full, read-only, no permission) and what to do. Atomic: a failed write leaves a file that was
 * there before untouched.
 */
export async function writeOutputFile(path: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, content);
  } catch (err) {
    const bytes =
      typeof content === 'string' ? Buffer.byteLength(content) : content instanceof Uint8Array ? content.byteLength : 0; // pieces already written: unknown
    throw new StrataError(
      'IO_ERROR',
      await describeWriteError(err, path, bytes),
      err instanceof Error ? err.message : String(err),
    );
  }
}
