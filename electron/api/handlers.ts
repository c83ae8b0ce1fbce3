/**
 * The engine side of shared/api.ts: one implementation of every invoke channel, used by both front
 * doors (Electron's IPC and browser mode's WebSocket). Each front door supplies only how events are
 * pushed, how native dialogs are shown and how a rendered export is saved.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Comparison } from '../../shared/compare.js';
import type {
  ApiHandlers,
  AppMode,
  EventChannel,
  EventChannels,
  GeneratedVariant,
  ProfileRequest,
  RecentFile,
} from '../../shared/api.js';
import { StrataError, toErrorInfo } from '../../shared/errors.js';
import type { ProfilePlan } from '../../shared/plan.js';
import type { ProfileProgress } from '../../shared/progress.js';
import {
  checkObjectStart,
  checkReportValue,
  parseReportFile,
  REPORT_HEAD_BYTES,
  startsAsReport,
} from '../../shared/report-check.js';
import { reportFromFile } from '../../shared/report-pack.js';
import { createEngine, type Engine } from '../core/engine.js';
import { readFileHead } from '../core/file-head.js';
import { measureMachine } from '../core/profile/machine.js';
import { profileModel } from '../core/profile/profiler.js';
import { renderComparisonHtml } from '../core/report/compare-html.js';
import { renderExport, writeOutputFile } from '../core/report/write-exports.js';
import { listExecutionProviders } from '../core/runner/eps.js';
import { JobScope, type Jobs } from '../core/jobs.js';
import { runComparisonJob } from '../core/variants/compare-job.js';
import { generateVariant } from '../core/variants/generate.js';
import { ownTempPath, removeOwned } from '../core/temp-owner.js';
import { strataRoot, strataVersion } from '../core/version.js';
import { profileOnDevice } from '../core/devices/remote-profile.js';
import { createDeviceHandlers, requestedDevice } from './device-handlers.js';
import { FileAccess } from './file-access.js';
import type { SaveFile } from './file-to-save.js';
import { createGenerateHandlers } from './generate-handlers.js';
import { RecentFiles } from './recent-files.js';
import { validatePlan, validateSpec } from './validate.js';

/** What a front door gives the handlers. */
export interface ApiContext {
  readonly mode: AppMode;
  readonly emit: <E extends EventChannel>(channel: E, payload: EventChannels[E]) => void;
  readonly initialModelPath?: string | null;
  /** Electron only. */
  readonly showOpenDialog?: () => Promise<string | null>;
  /** Saves an export: Electron asks where with its save dialog and writes; browser mode offers a download. */
  readonly saveFile?: SaveFile;
  /**
   * Browser mode: a one-time URL the page fetches a file on disk from (see downloads.ts). Without
   * it (the desktop app) `report:open` sends the bytes themselves.
   */
  readonly offerFile?: (file: {
    readonly fileName: string;
    readonly sourcePath: string;
    readonly bytes: number;
  }) => string;
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
  /** The engine both front doors share with the CLI: its cache of open models. Default a new one over the process-wide cache. */
  readonly engine?: Engine;
}

const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/** The bundled sample model's path. */
export function sampleModelPath(): string {
  return join(strataRoot(), 'assets', 'sample-model.onnx');
}

/**
 * Builds the handlers for one front door (a window, a browser tab's socket). One job at a time
 * across the engine (see core/jobs.ts); `dispose()` cancels this door's job and removes the variant
 * files the last comparison kept.
 */
export function createApiHandlers(ctx: ApiContext): ApiHandlers & { dispose(): Promise<void>; readonly jobs: Jobs } {
  let variantDir: string | null = null; // variants:create's files
  let comparisonDir: string | null = null; // the last finished comparison's variant files (its "Export chosen model")
  const engine = ctx.engine ?? createEngine();
  // The engine's one table (every tab of browser mode shares it: two profiles at once would
  // measure each other), seen through this front door's scope so closing it stops only its jobs.
  const jobs = new JobScope(engine.jobs);
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

  const save: SaveFile = (file) => {
    if (!ctx.saveFile) throw new StrataError('BAD_ARGUMENT', 'This front door cannot save files.');
    return ctx.saveFile(file);
  };

  const startProfile = async ({ modelPath, plan, device: deviceName }: ProfileRequest) => {
    const device = await requestedDevice(deviceName);
    let runId = '';
    const job = jobs.start('profile', (signal) => {
      const options = {
        signal,
        onProgress: (progress: ProfileProgress) => ctx.emit('profile:progress', { runId, progress }),
      };
      // The model opened by model:open is the same open model here: its file is not read again.
      return device ? profileOnDevice(device, modelPath, plan, options) : engine.profile(modelPath, plan, options);
    });
    runId = job.id;
    job.result.then(
      (report) => ctx.emit('profile:done', { runId, report }),
      (err: unknown) => ctx.emit('profile:failed', { runId, error: toErrorInfo(err) }),
    );
    return { runId };
  };

  return {
    ...createGenerateHandlers(ctx, jobs, files, engine, save),
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
        // The structure only: the content hash is 'model:hash', off the open's path.
        summary = (await engine.openModel(file)).structure;
      } catch (err) {
        await ctx.onOpenFailed?.(file).catch(() => {});
        throw err;
      }
      files.allowFile(summary.path);
      const list = await recent.add(summary.path);
      await ctx.onRecentChange?.(list).catch(() => {});
      return summary;
    },
    'model:hash': async (path) => {
      const file = await files.check(requireString(path, 'The model path'), 'The model');
      const model = await engine.openModel(file);
      await jobs.idle(); // a profile's timed runs must not share the disk and a core with it
      return model.sha256();
    },
    'model:recent': () => recent.existing(),
    'eps:list': () => listExecutionProviders(),
    'profile:start': async (request) => {
      if (!request || typeof request !== 'object')
        throw new StrataError('BAD_ARGUMENT', 'A profile request needs a model path and a plan.');
      const modelPath = await files.check(requireString(request.modelPath, 'The model path'), 'The model');
      const plan: ProfilePlan = await checkPlanFiles(validatePlan(request.plan));
      const started = await startProfile({ modelPath, plan, device: request.device });
      // Remembered for the next open of this model, after the answer: the run id must not wait on it.
      void recent
        .rememberPlan(modelPath, plan)
        .then((list) => ctx.onRecentChange?.(list))
        .catch(() => {});
      return started;
    },
    'profile:cancel': async (runId) => ({ cancelled: await jobs.cancel(requireString(runId, 'The run id')) }),
    // Exports are rendered and saved here: the report crosses once (from the page), the file not at all.
    'report:export': async (request) => {
      if (!request || typeof request !== 'object' || !request.report)
        throw new StrataError('BAD_ARGUMENT', 'There is no report to export.');
      if (!['html', 'json', 'csv', 'trace'].includes(request.format)) {
        throw new StrataError(
          'BAD_ARGUMENT',
          `Unknown export format "${String(request.format)}": use html, json, csv or trace.`,
        );
      }
      // A report from the UI is checked like one from a file (without going through text again).
      const report = reportFromFile(checkReportValue(request.report, 'The report to export'));
      return save(await renderExport(report, request.format));
    },
    'report:open': async (path) => {
      const given = requireString(path, 'The report path');
      const file = ctx.opensPickedPaths ? resolve(given) : await files.check(given, 'The report');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new StrataError('IO_ERROR', `There is no report file at "${file}".`);
      if (info.size > MAX_REPORT_BYTES)
        throw new StrataError('IO_ERROR', `"${file}" is ${info.size} bytes, too large to be a Strata report.`);
      // Not parsed here when it starts as Strata writes a report: the page parses and checks the
      // bytes (shared/report-check.ts), so a big report is neither parsed twice nor serialised again
      // into one giant message. Anything else is checked whole before a byte of it is handed over:
      // the desktop app opens any path the page names, and must not become a way to read any file.
      // A multi-byte character cut at the end of the head is harmless to these checks.
      const head = Buffer.from(await readFileHead(file, REPORT_HEAD_BYTES)).toString('utf8');
      checkObjectStart(head, `"${file}"`);
      let whole: Buffer | null = null; // read once when it has to be checked whole
      if (!startsAsReport(head)) {
        whole = await readFile(file);
        parseReportFile(whole.toString('utf8'), `"${file}"`);
      }
      files.allowFile(file);
      const fileName = basename(file);
      if (ctx.offerFile)
        return { fileName, url: ctx.offerFile({ fileName, sourcePath: file, bytes: info.size }), bytes: info.size };
      const data = whole ?? (await readFile(file));
      return { fileName, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    },
    'dialog:openModel': async () => {
      if (!ctx.showOpenDialog)
        throw new StrataError(
          'BAD_ARGUMENT',
          'The native open dialog exists only in the desktop app; use the file picker.',
        );
      const chosen = await ctx.showOpenDialog();
      if (chosen) files.allowFile(chosen);
      return chosen;
    },
    'variants:create': async (request) => {
      if (
        !request ||
        typeof request !== 'object' ||
        !Array.isArray(request.variants) ||
        request.variants.length === 0 ||
        request.variants.length > 64
      ) {
        throw new StrataError('BAD_ARGUMENT', 'Choose between 1 and 64 variants to generate.');
      }
      const modelPath = await files.check(requireString(request.modelPath, 'The model path'), 'The model');
      const plan = await checkPlanFiles(validatePlan(request.plan));
      const specs = request.variants.map(validateSpec);
      // A job like any other: refused while a profile or comparison runs, and it blocks them.
      return jobs.start('variants', async (signal) => {
        if (!variantDir) {
          variantDir = await mkdtemp(join(tmpdir(), 'strata-variants-'));
          ownTempPath(variantDir); // removed even if the server is killed
          files.allowFolder(variantDir);
        }
        const stem = basename(modelPath).replace(/\.onnx$/i, '');
        const made: GeneratedVariant[] = [];
        for (const spec of specs) {
          if (signal.aborted) throw new StrataError('RUN_CANCELLED', 'Variant generation was cancelled.');
          const variant = await generateVariant(modelPath, spec, plan, signal);
          const path = join(variantDir, `${stem}.${variant.label.replace(/[^\w.-]+/g, '-')}.onnx`);
          await writeOutputFile(path, variant.bytes); // a full temp disk says so
          made.push({ spec, label: variant.label, path, bytes: variant.bytes.length, detail: variant.detail });
        }
        return made;
      }).result;
    },
    'compare:start': async (request) => {
      if (!request || typeof request !== 'object' || !Array.isArray(request.paths) || request.paths.length < 1) {
        throw new StrataError('BAD_ARGUMENT', 'A comparison needs a baseline model.');
      }
      if (request.variants !== undefined && (!Array.isArray(request.variants) || request.variants.length > 64)) {
        throw new StrataError('BAD_ARGUMENT', 'Choose at most 64 variants to generate.');
      }
      const count = request.paths.length + (request.variants?.length ?? 0);
      if (count < 2 || count > 32) {
        throw new StrataError(
          'BAD_ARGUMENT',
          `A comparison needs a baseline and at least one other model, at most 32 in all; this one has ${count}.`,
        );
      }
      const paths: string[] = [];
      for (const p of request.paths) paths.push(await files.check(requireString(p, 'A model path'), 'The model'));
      if (
        request.labels !== undefined &&
        (!Array.isArray(request.labels) || !request.labels.every((l) => typeof l === 'string' && l.length <= 200))
      ) {
        throw new StrataError('BAD_ARGUMENT', 'Comparison labels must be a list of short strings.');
      }
      const plan = await checkPlanFiles(validatePlan(request.plan));
      const variants = (request.variants ?? []).map(validateSpec);
      let runId = '';
      const job = jobs.start('compare', (signal) =>
        runComparisonJob(
          { paths, labels: request.labels, variants, plan },
          {
            signal,
            onProgress: ({ stage, model, models, progress, job }) =>
              ctx.emit('compare:progress', { runId, stage, model, models, progress, job }),
          },
        ),
      );
      runId = job.id;
      job.result.then(
        async ({ comparison, variantDir: dir }) => {
          // The previous comparison's variant files go once a new one has its own.
          if (comparisonDir) await removeOwned(comparisonDir);
          comparisonDir = dir;
          // Its variant files are Strata's own: the chosen one may be downloaded.
          if (dir) files.allowFolder(dir);
          ctx.emit('compare:done', { runId, comparison });
        },
        (err: unknown) => ctx.emit('compare:failed', { runId, error: toErrorInfo(err) }),
      );
      return { runId };
    },
    'model:download': async (path) => {
      const file = await files.check(requireString(path, 'The model path'), 'The model');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new StrataError('MODEL_NOT_FOUND', `There is no model at "${file}".`);
      return save({
        fileName: basename(file),
        mimeType: 'application/octet-stream',
        sourcePath: file,
        bytes: info.size,
      });
    },
    'compare:export': async (request) => {
      const comparison = checkComparison(request?.comparison);
      if (request.format !== 'html' && request.format !== 'json') {
        throw new StrataError(
          'BAD_ARGUMENT',
          `Unknown comparison export format "${String(request.format).slice(0, 40)}": use html or json.`,
        );
      }
      const stem = `strata-comparison-${comparison.models[0]!.fileName.replace(/\.onnx$/i, '')
        .replace(/[^\w.-]+/g, '-')
        .slice(0, 100)}`;
      if (request.format === 'json')
        return save({
          fileName: `${stem}.json`,
          mimeType: 'application/json',
          content: `${JSON.stringify(comparison, null, 2)}\n`,
        });
      let content: string;
      try {
        content = await renderComparisonHtml(comparison);
      } catch {
        // A comparison made by Strata always renders; one that does not was altered on its way here.
        throw new StrataError(
          'BAD_ARGUMENT',
          'The comparison to export is malformed: run the comparison again, then export it.',
        );
      }
      return save({ fileName: `${stem}.html`, mimeType: 'text/html', content });
    },
    'machine:measure': async (request) => {
      const threads = request?.threads;
      if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 0 || threads > 1024) {
        throw new StrataError(
          'BAD_ARGUMENT',
          `The thread count to measure at must be a whole number from 0 (every core) up (got ${JSON.stringify(threads)}).`,
        );
      }
      // A job like the others: measuring beside a profile would measure both low.
      return jobs.start('machine', (signal) =>
        measureMachine(
          (path, plan, options) =>
            profileModel(path, plan, { ...options, roofline: false, system: false, machineProbe: false }),
          {
            threads,
            remeasure: true,
            signal,
          },
        ),
      ).result;
    },
    ...createDeviceHandlers(
      ctx,
      jobs,
      async (path) => files.check(requireString(path, 'The model path'), 'The model'),
      async (plan) => checkPlanFiles(validatePlan(plan)),
    ),
    jobs,
    async dispose() {
      await jobs.cancelAll();
      await Promise.all([variantDir, comparisonDir].map((dir) => dir && removeOwned(dir)));
    },
  };
}

// The parts of a comparison every export reads, checked so a malformed one is refused in words.
function checkComparison(value: unknown): Comparison {
  const c = value as Comparison | null | undefined;
  if (!c || typeof c !== 'object' || !Array.isArray(c.models) || c.models.length === 0) {
    throw new StrataError('BAD_ARGUMENT', 'There is no comparison to export: run one first.');
  }
  const modelOk = (m: unknown) =>
    !!m &&
    typeof m === 'object' &&
    typeof (m as { fileName?: unknown }).fileName === 'string' &&
    typeof (m as { label?: unknown }).label === 'string';
  if (!c.models.every(modelOk) || !Array.isArray(c.layers)) {
    throw new StrataError(
      'BAD_ARGUMENT',
      'The comparison to export is malformed: run the comparison again, then export it.',
    );
  }
  return c;
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new StrataError('BAD_ARGUMENT', `${what} must be a non-empty string.`);
  }
  return value;
}
