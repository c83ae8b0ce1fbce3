/**
 * The generation channels of shared/api.ts (generate:start, generate:export, generate:compare), kept beside the other
 * handlers: a generation profile runs as a job of the shared job table, so it never measures
 * against a profile or a comparison.
 */
import type { ApiHandlers } from '../../shared/api.js';
import type { ProfileProgress } from '../../shared/progress.js';
import { StrataError, toErrorInfo } from '../../shared/errors.js';
import { checkGenerateSettings, type GenerateReport } from '../../shared/generate.js';
import type { Engine } from '../core/engine.js';
import { compareGenerateReports } from '../core/generate/generate-compare.js';
import { generateProfile } from '../core/generate/run-generate.js';
import { generateVsProfile } from '../core/generate/generate-vs.js';
import { renderGenerateCompareHtml } from '../core/report/generate-compare-html.js';
import type { Jobs } from '../core/jobs.js';
import { renderGenerateHtml } from '../core/report/generate-html.js';
import type { ApiContext } from './handlers.js';
import type { FileAccess } from './file-access.js';
import type { SaveFile } from './file-to-save.js';
import { validatePlan } from './validate.js';

/** The generation handlers over one front door's context, job table, file access, engine and saver. */
export function createGenerateHandlers(
  ctx: ApiContext,
  jobs: Jobs,
  files: FileAccess,
  engine: Engine,
  save: SaveFile,
): Pick<ApiHandlers, 'generate:start' | 'generate:export' | 'generate:compare'> {
  const reportOf = (value: unknown, what: string): GenerateReport => {
    const r = value as GenerateReport | undefined;
    if (!r || typeof r !== 'object' || r.schema !== 'strata.generate' || !Array.isArray(r.timeline))
      throw new StrataError('BAD_ARGUMENT', `${what} is not a generation report: profile the decoder first.`);
    return r;
  };
  return {
    'generate:start': async (request) => {
      if (!request || typeof request !== 'object' || typeof request.modelPath !== 'string')
        throw new StrataError('BAD_ARGUMENT', 'A generation profile needs a model path, settings and a plan.');
      const modelPath = await files.check(request.modelPath, 'The model');
      const draftPath =
        request.draftPath === undefined ? undefined : await files.check(String(request.draftPath), 'The draft model');
      const vsPath =
        request.vsPath === undefined ? undefined : await files.check(String(request.vsPath), 'The decoder to compare');
      if (vsPath !== undefined && draftPath !== undefined)
        throw new StrataError(
          'BAD_ARGUMENT',
          'A draft and a decoder to compare are two different runs: compare two decoders, or measure a speculative pair, one at a time.',
        );
      let settings;
      try {
        settings = checkGenerateSettings(request.settings);
      } catch (err) {
        throw new StrataError('BAD_ARGUMENT', err instanceof Error ? err.message : String(err));
      }
      const plan = validatePlan(request.plan);
      let runId = '';
      const onProgress = (progress: ProfileProgress) => ctx.emit('generate:progress', { runId, progress });
      const job = jobs.start('generate', async (signal) => {
        if (vsPath === undefined)
          return {
            report: await generateProfile(modelPath, settings, plan, {
              draftPath,
              signal,
              models: engine.models,
              onProgress,
            }),
          };
        // The --vs way: B checked before A runs, A's profile ending in alternating rounds of both.
        const comparison = await generateVsProfile(modelPath, vsPath, settings, plan, {
          signal,
          models: engine.models,
          onProgress,
        });
        return { report: comparison.a, comparison };
      });
      runId = job.id;
      job.result.then(
        (done) => ctx.emit('generate:done', { runId, ...done }),
        (err: unknown) => ctx.emit('generate:failed', { runId, error: toErrorInfo(err) }),
      );
      return { runId };
    },
    'generate:compare': async (request) =>
      compareGenerateReports(
        reportOf(request?.a, 'The baseline decoder'),
        reportOf(request?.b, 'The decoder compared'),
      ),
    'generate:export': async (request) => {
      const report = request?.report as GenerateReport | undefined;
      if (!report || report.schema !== 'strata.generate')
        throw new StrataError('BAD_ARGUMENT', 'There is no generation report to export.');
      const baseline = request.baseline === undefined ? null : reportOf(request.baseline, 'The baseline decoder');
      if (request.format !== 'html' && request.format !== 'json')
        throw new StrataError(
          'BAD_ARGUMENT',
          `Unknown export format "${String(request.format).slice(0, 40)}": use html or json.`,
        );
      const slug = (r: GenerateReport) =>
        r.model.name
          .replace(/\.onnx$/i, '')
          .replace(/[^\w.-]+/g, '-')
          .slice(0, 100);
      const comparison = baseline ? compareGenerateReports(baseline, report) : null;
      const stem = baseline
        ? `strata-generate-${slug(baseline)}-vs-${slug(report)}`
        : `strata-generate-${slug(report)}`;
      // Rendered and saved here, as the other exports: the report crosses once, the file not at all.
      return save(
        request.format === 'json'
          ? {
              fileName: `${stem}.json`,
              mimeType: 'application/json',
              content: JSON.stringify(comparison ?? report, null, 2) + '\n',
            }
          : {
              fileName: `${stem}.html`,
              mimeType: 'text/html',
              content: comparison ? renderGenerateCompareHtml(comparison) : renderGenerateHtml(report),
            },
      );
    },
  };
}
