/**
 * Reads a saved report in the page: from the file the user picked or dropped (read here, never
 * uploaded), or from the bytes `report:open` pointed at (a one-time URL in browser mode, the bytes
 * themselves in the desktop app). The page parses and checks the text once (shared/report-check.ts);
 * the engine only found the file. A 50,000-layer report is 26 MB: sending it up, parsing it in the
 * engine and sending it back down in one WebSocket message took most of the 5 s its open took.
 */
import type { ReportBytes } from '../../shared/api.js';
import { StrataError, toErrorInfo, type Result } from '../../shared/errors.js';
import type { Report } from '../../shared/report.js';
import { parseReportFile } from '../../shared/report-check.js';
import { reportFromFile } from '../../shared/report-pack.js';

/** Where a report's text comes from: a picked or dropped file, or what `report:open` answered. */
export type ReportSource = Blob | ReportBytes;

/**
 * The report in `source`, checked; `name` is how errors call the file (its name or path, quoted).
 * Every failure (unreadable, expired URL, not JSON, truncated, too new) is one line saying what to do.
 */
export async function readReport(
  source: ReportSource,
  name: string,
  fetcher: typeof fetch = (...args) => fetch(...args),
): Promise<Result<Report>> {
  try {
    const text = await textOf(source, name, fetcher);
    return { ok: true, value: reportFromFile(parseReportFile(text, name)) };
  } catch (err) {
    return { ok: false, error: toErrorInfo(err) };
  }
}

async function textOf(source: ReportSource, name: string, fetcher: typeof fetch): Promise<string> {
  const unreadable = (why: string) =>
    new StrataError('IO_ERROR', `Could not read ${name}: ${why}. Open it again.`, why);
  if (source instanceof Blob) {
    try {
      return await source.text();
    } catch (err) {
      // A picked file changed or removed since it was picked.
      throw unreadable((err as Error).message || 'the file is no longer there');
    }
  }
  if ('data' in source) return new TextDecoder().decode(source.data);
  let response: Response;
  try {
    response = await fetcher(source.url);
  } catch (err) {
    throw unreadable((err as Error).message || 'Strata did not answer');
  }
  if (!response.ok)
    throw unreadable(
      response.status === 404
        ? 'its one-time link was already used or has expired'
        : `Strata's server answered ${response.status} ${response.statusText}`.trim(),
    );
  return response.text();
}
