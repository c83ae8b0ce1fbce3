/**
 * The engine side of shared/api.ts: one implementation of every invoke channel, used by both front
 * doors (Electron's IPC and browser mode's WebSocket). Each front door supplies only how events are
 * pushed and how native dialogs are shown.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Comparison } from '../../shared/compare.js';
import type { ApiHandlers, AppMode, EventChannel, EventChannels, ExportedFile, GeneratedVariant, ProfileRequest, RecentFile } from '../../shared/api.js';
import { StrataError, toErrorInfo } from '../../shared/errors.js';
import type { ProfilePlan } from '../../shared/plan.js';
import { summarizeModelFile } from '../core/model/summary.js';
import { profileModel } from '../core/profile/profiler.js';
import { renderComparisonHtml } from '../core/report/compare-html.js';
import { renderExport } from '../core/report/write-exports.js';
import { parseReport } from '../core/report/report-json.js';
import { listExecutionProviders } from '../core/runner/eps.js';
import { compareModels } from '../core/variants/compare.js';
import { generateVariant } from '../core/variants/generate.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { strataRoot, strataVersion } from '../core/version.js';
import { FileAccess } from './file-access.js';
import { RecentFiles } from './recent-files.js';
import { validatePlan, validateSpec } from './validate.js';

/** What a front door gives the handlers. */
export interface ApiContext {
  readonly mode: AppMode;
  readonly emit: <E extends EventChannel>(channel: E, payload: EventChannels[E]) => void;
  readonly initialModelPath?: string | null;
  /** Electron only. */
  readonly showOpenDialog?: () => Promise<string | null>;
  readonly showSaveDialog?: (file: ExportedFile) => Promise<string | null>;
  /** Called with the recent list after a model joins it (browser mode prunes its uploads). */
  readonly onRecentChange?: (recent: readonly RecentFile[]) => Promise<unknown>;
  /** Called with a path `model:open` refused as a model (browser mode drops a rejected upload). */
  readonly onOpenFailed?: (path: string) => Promise<unknown>;
  /** The files the API may open; one per front door, shared by its windows or sockets. */
  readonly files?: FileAccess;
  /**
   * Electron: the page's file input and drag and drop give real paths the main process never sees
   * chosen, so `model:open` and `report:open` take any path; what they read is never echoed (a
   * model must be ONNX, a report a report), and a file they opened may then be used like a chosen one.
   */
  readonly opensPickedPaths?: boolean;
}

const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/** The bundled sample model's path. */
export function sampleModelPath(): string {
  return join(strataRoot(), 'assets', 'sample-model.onnx');
}

/** Builds the handlers for one front door. Running profiles are cancelled by `dispose()`. */
export function createApiHandlers(ctx: ApiContext): ApiHandlers & { dispose(): void } {
  const running = new Map<string, AbortController>();
  let variantDir: string | null = null;
  const recent = new RecentFiles();
  const files = ctx.files ?? new FileAccess(() => recent.list());
  files.allowFile(sampleModelPath());
  if (ctx.initialModelPath) files.allowFile(ctx.initialModelPath);
  // A plan's input files come from a report, so they are checked like any other path.
  const checkPlanFiles = async (plan: ProfilePlan): Promise<ProfilePlan> => {
    for (const [name, source] of Object.entries(plan.inputs)) {
      if (source.kind === 'file') await files.check(source.path, `The file of input "${name}"`);
    }
    return plan;
  };

  const startProfile = ({ modelPath, plan }: ProfileRequest) => {
    const runId = randomUUID();
    const abort = new AbortController();
    running.set(runId, abort);
    profileModel(modelPath, plan, {
      signal: abort.signal,
      onProgress: (progress) => ctx.emit('profile:progress', { runId, progress }),
    })
      .then((report) => ctx.emit('profile:done', { runId, report }))
      .catch((err: unknown) => ctx.emit('profile:failed', { runId, error: toErrorInfo(err) }))
      .finally(() => running.delete(runId));
    return { runId };
  };

  return {
    'app:info': async () => ({
      version: strataVersion(),
      mode: ctx.mode,
      platform: process.platform,
      sampleModelPath: sampleModelPath(),
      initialModelPath: ctx.initialModelPath ?? null,
    }),
    'model:open': async (path) => {
      const given = requireString(path, 'The model path');
      const file = ctx.opensPickedPaths ? resolve(given) : await files.check(given, 'The model');
      let summary;
      try {
        summary = await summarizeModelFile(file);
      } catch (err) {
        await ctx.onOpenFailed?.(file).catch(() => {});
        throw err;
      }
      files.allowFile(summary.path);
      const list = await recent.add(summary.path);
      await ctx.onRecentChange?.(list).catch(() => {});
      return summary;
    },
    'model:recent': () => recent.existing(),
    'eps:list': () => listExecutionProviders(),
    'profile:start': async (request) => {
      if (!request || typeof request !== 'object') throw new StrataError('BAD_ARGUMENT', 'A profile request needs a model path and a plan.');
      const modelPath = await files.check(requireString(request.modelPath, 'The model path'), 'The model');
      const plan: ProfilePlan = await checkPlanFiles(validatePlan(request.plan));
      return startProfile({ modelPath, plan });
    },
    'profile:cancel': async (runId) => {
      const abort = running.get(requireString(runId, 'The run id'));
      abort?.abort();
      return { cancelled: abort !== undefined };
    },
    'report:export': async (request) => {
      if (!request || typeof request !== 'object' || !request.report) throw new StrataError('BAD_ARGUMENT', 'There is no report to export.');
      if (!['html', 'json', 'csv', 'trace'].includes(request.format)) {
        throw new StrataError('BAD_ARGUMENT', `Unknown export format "${String(request.format)}": use html, json, csv or trace.`);
      }
      // Round-trip through the parser: a report from the UI is checked like one from a file.
      const report = parseReport(JSON.stringify(request.report), 'The report to export');
      return renderExport(report, request.format);
    },
    'report:open': async (path) => {
      const given = requireString(path, 'The report path');
      const file = ctx.opensPickedPaths ? resolve(given) : await files.check(given, 'The report');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new StrataError('IO_ERROR', `There is no report file at "${file}".`);
      if (info.size > MAX_REPORT_BYTES) throw new StrataError('IO_ERROR', `"${file}" is ${info.size} bytes, too large to be a Strata report.`);
      const report = parseReport(await readFile(file, 'utf8'), `"${file}"`);
      files.allowFile(file);
      return report;
    },
    'dialog:openModel': async () => {
      if (!ctx.showOpenDialog) throw new StrataError('BAD_ARGUMENT', 'The native open dialog exists only in the desktop app; use the file picker.');
      const chosen = await ctx.showOpenDialog();
      if (chosen) files.allowFile(chosen);
      return chosen;
    },
    'dialog:saveFile': async (file) => {
      if (!ctx.showSaveDialog) throw new StrataError('BAD_ARGUMENT', 'The native save dialog exists only in the desktop app; the browser downloads the file.');
      if (!file || typeof file.fileName !== 'string' || typeof file.content !== 'string') throw new StrataError('BAD_ARGUMENT', 'Nothing to save.');
      return ctx.showSaveDialog(file);
    },
    'variants:create': async (request) => {
      if (!request || typeof request !== 'object' || !Array.isArray(request.variants) || request.variants.length === 0 || request.variants.length > 64) {
        throw new StrataError('BAD_ARGUMENT', 'Choose between 1 and 64 variants to generate.');
      }
      const modelPath = await files.check(requireString(request.modelPath, 'The model path'), 'The model');
      const plan = await checkPlanFiles(validatePlan(request.plan));
      if (!variantDir) {
        variantDir = await mkdtemp(join(tmpdir(), 'strata-variants-'));
        files.allowFolder(variantDir);
      }
      const stem = basename(modelPath).replace(/\.onnx$/i, '');
      const made: GeneratedVariant[] = [];
      for (const spec of request.variants) {
        const variant = await generateVariant(modelPath, validateSpec(spec), plan);
        const path = join(variantDir, `${stem}.${variant.label.replace(/[^\w.-]+/g, '-')}.onnx`);
        await writeFileAtomic(path, variant.bytes);
        made.push({ spec, label: variant.label, path, bytes: variant.bytes.length, detail: variant.detail });
      }
      return made;
    },
    'compare:start': async (request) => {
      if (!request || typeof request !== 'object' || !Array.isArray(request.paths) || request.paths.length < 2 || request.paths.length > 32) {
        throw new StrataError('BAD_ARGUMENT', 'A comparison needs a baseline and at least one other model (at most 32).');
      }
      const paths: string[] = [];
      for (const p of request.paths) paths.push(await files.check(requireString(p, 'A model path'), 'The model'));
      if (request.labels !== undefined && (!Array.isArray(request.labels) || !request.labels.every((l) => typeof l === 'string' && l.length <= 200))) {
        throw new StrataError('BAD_ARGUMENT', 'Comparison labels must be a list of short strings.');
      }
      const plan = await checkPlanFiles(validatePlan(request.plan));
      const runId = randomUUID();
      const abort = new AbortController();
      running.set(runId, abort);
      compareModels(paths, plan, {
        labels: request.labels,
        signal: abort.signal,
        onProgress: (model, progress, stage) => ctx.emit('compare:progress', { runId, stage, model, models: paths.length, progress }),
      })
        .then(({ comparison }) => ctx.emit('compare:done', { runId, comparison }))
        .catch((err: unknown) => ctx.emit('compare:failed', { runId, error: toErrorInfo(err) }))
        .finally(() => running.delete(runId));
      return { runId };
    },
    'model:download': async (path) => {
      const file = await files.check(requireString(path, 'The model path'), 'The model');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new StrataError('MODEL_NOT_FOUND', `There is no model at "${file}".`);
      return { fileName: basename(file), mimeType: 'application/octet-stream', content: (await readFile(file)).toString('base64'), encoding: 'base64' as const };
    },
    'compare:export': async (request) => {
      const comparison = checkComparison(request?.comparison);
      if (request.format !== 'html' && request.format !== 'json') {
        throw new StrataError('BAD_ARGUMENT', `Unknown comparison export format "${String(request.format).slice(0, 40)}": use html or json.`);
      }
      const stem = `strata-comparison-${comparison.models[0]!.fileName.replace(/\.onnx$/i, '').replace(/[^\w.-]+/g, '-').slice(0, 100)}`;
      if (request.format === 'json') return { fileName: `${stem}.json`, mimeType: 'application/json', content: `${JSON.stringify(comparison, null, 2)}\n` };
      try {
        return { fileName: `${stem}.html`, mimeType: 'text/html', content: renderComparisonHtml(comparison) };
      } catch {
        // A comparison made by Strata always renders; one that does not was altered on its way here.
        throw new StrataError('BAD_ARGUMENT', 'The comparison to export is malformed: run the comparison again, then export it.');
      }
    },
    dispose() {
      for (const abort of running.values()) abort.abort();
      running.clear();
      // The variants live as long as the window or page that made them.
      if (variantDir) void rm(variantDir, { recursive: true, force: true }).catch(() => {});
      variantDir = null;
    },
  };
}

// The parts of a comparison every export reads, checked so a malformed one is refused in words.
function checkComparison(value: unknown): Comparison {
  const c = value as Comparison | null | undefined;
  if (!c || typeof c !== 'object' || !Array.isArray(c.models) || c.models.length === 0) {
    throw new StrataError('BAD_ARGUMENT', 'There is no comparison to export: run one first.');
  }
  const modelOk = (m: unknown) => !!m && typeof m === 'object' && typeof (m as { fileName?: unknown }).fileName === 'string' && typeof (m as { label?: unknown }).label === 'string';
  if (!c.models.every(modelOk) || !Array.isArray(c.layers)) {
    throw new StrataError('BAD_ARGUMENT', 'The comparison to export is malformed: run the comparison again, then export it.');
  }
  return c;
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new StrataError('BAD_ARGUMENT', `${what} must be a non-empty string.`);
  }
  return value;
}
