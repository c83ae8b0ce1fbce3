// `strata profile` as a user runs it: the built CLI in a child process, on the real fixture models,
// and on every kind of bad input, each of which must end in one clear line and a non-zero exit.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../electron/core/report/report-json.js';
import { buildUnknownOpModel, writeExternalDataModel } from '../support/synthetic-models.js';
import { REPO, SAMPLE, SILERO_16K, SILERO_IFLESS, SILERO_V6, OCR_CLS, OCR_DET, OCR_REC } from '../fixtures/paths.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], onStart?: (pid: number) => void, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, STRATA_DEBUG: '', ...env },
    });
    if (onStart && child.pid) onStart(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The pid of the CLI's inference worker once it runs (waits up to 20 s); throws if none appears. */
async function workerOf(cliPid: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const pid = Number(
        execFileSync('pgrep', ['-P', String(cliPid), '-f', 'runner/worker'], { encoding: 'utf8' })
          .trim()
          .split('\n')[0],
      );
      if (pid > 0) return pid; // never 0: kill(0) is our own process group
    } catch {
      // no child yet
    }
  }
  throw new Error(`the CLI (pid ${cliPid}) started no inference worker`);
}

/** True once `pid` has ended: gone, or a zombie waiting for a slow init to reap it. */
function ended(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Waits up to `ms` for `pid` to end; returns whether it did. */
async function endsWithin(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (ended(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ended(pid);
}

/** The lines of stderr that are not progress messages. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('strata: error:'));
}

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  const errors = errorLines(result.stderr);
  expect(errors, result.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  // No stack trace: nothing that looks like "    at foo (file.js:1:2)".
  expect(result.stderr).not.toMatch(/^\s+at\s/m);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
});

const QUICK = ['--runs', '5', '--warmup', '1', '--profiled-runs', '2', '--threads', '2'];

describe('strata profile on the fixture models', () => {
  const cases: [string, string, string[]][] = [
    [
      'silero 16k op15 (If subgraphs, rank-0 sr)',
      SILERO_16K,
      ['--shape', 'input=1x512', '--dim', 'batch=1', '--input', 'sr=16000'],
    ],
    ['silero op18 if-less', SILERO_IFLESS, ['--shape', 'input=1x512', '--dim', 'batch=1', '--input', 'sr=16000']],
    [
      'silero v6 (weights in Constant nodes)',
      SILERO_V6,
      ['--shape', 'input=1x512', '--shape', 'state=2x1x128', '--input', 'sr=16000'],
    ],
    ['PP-OCR cls (every dim symbolic)', OCR_CLS, ['--shape', 'x=1x3x48x192']],
    ['PP-OCRv4 det', OCR_DET, ['--shape', 'x=1x3x320x320']],
    ['PP-OCRv4 rec (attention)', OCR_REC, ['--shape', 'x=1x3x48x320']],
  ];
  for (const [label, model, extra] of cases) {
    it(`profiles ${label} and writes a scriptable report`, async () => {
      const json = join(dir, `${label.replace(/\W+/g, '_')}.json`);
      const result = await runCli(['profile', model, ...QUICK, ...extra, '--json', json]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/latency\s+p50 [\d.]+ m?s/);
      expect(result.stdout).toMatch(/Top \d+ of \d+ layers/);
      const report = parseReport(readFileSync(json, 'utf8'));
      expect(report.schemaVersion).toBe(1);
      expect(report.model.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(report.latency.samplesMs).toHaveLength(5);
      expect(report.latency.coldMs).toBeGreaterThan(0);
      expect(report.layers.length).toBeGreaterThan(0);
      // Shares are of own time: an If's excludes its subgraph's layers, so every layer counts once
      // and the shares of all layers, nested or not, add up to 1, as do the op types'.
      expect(report.layers.reduce((sum, layer) => sum + layer.share, 0)).toBeCloseTo(1, 6);
      expect(report.opTypes.reduce((sum, op) => sum + op.share, 0)).toBeCloseTo(1, 6);
      expect(report.opTypes.reduce((sum, op) => sum + op.count, 0)).toBe(report.layers.length);
      expect(report.memory.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    });
  }

  it('writes CSV and a Chrome trace next to the JSON', async () => {
    const csv = join(dir, 'cls.csv');
    const trace = join(dir, 'cls.trace.json');
    const result = await runCli([
      'profile',
      OCR_CLS,
      ...QUICK,
      '--shape',
      'x=1x3x48x192',
      '--csv',
      csv,
      '--trace',
      trace,
      '-q',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows.length).toBeGreaterThan(10);
    const traceJson = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string }[] };
    expect(traceJson.traceEvents.filter((e) => e.ph === 'X').length).toBeGreaterThan(rows.length);
  });
});

describe('strata profile on bad input', () => {
  it('says a random-bytes file is not an ONNX model', async () => {
    const path = join(dir, 'random.onnx');
    writeFileSync(path, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    expectOneLineError(await runCli(['profile', path]), /random\.onnx.*not an ONNX model|random\.onnx/);
  });

  it('refuses to compare one saved report with nothing', async () => {
    expectOneLineError(await runCli(['compare', join(dir, 'only.json')]), /Give two or more saved reports/);
  });

  it('says a truncated model is truncated', async () => {
    const path = join(dir, 'truncated.onnx');
    const bytes = readFileSync(OCR_CLS);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectOneLineError(await runCli(['profile', path]), /truncated/i);
  });

  it('says a text file is not a model', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'These are my notes about the model, not the model.\n');
    expectOneLineError(await runCli(['profile', path]), /notes\.txt/);
  });

  it('names a missing model file', async () => {
    expectOneLineError(await runCli(['profile', join(dir, 'nope.onnx')]), /nope\.onnx/);
  });

  it('names the input and dims of a wrong --shape', async () => {
    const result = await runCli(['profile', OCR_CLS, ...QUICK, '--shape', 'x=1x48x192']);
    expectOneLineError(result, /'x'|"x"/);
  });

  it('names an input that does not exist', async () => {
    expectOneLineError(await runCli(['profile', OCR_CLS, '--shape', 'image=1x3x48x192']), /image/);
  });

  it('says an absent execution provider is unavailable and why', async () => {
    expectOneLineError(await runCli(['profile', OCR_CLS, '--shape', 'x=1x3x48x192', '--ep', 'cuda']), /CUDA/i);
  });

  it('names an op onnxruntime does not implement', async () => {
    const path = join(dir, 'unknown-op.onnx');
    writeFileSync(path, buildUnknownOpModel());
    expectOneLineError(await runCli(['profile', path]), /op 'CustomOpThatDoesNotExist'.*does not implement/);
  });

  it('names a missing external-data file', async () => {
    const { modelPath, dataPath } = writeExternalDataModel(dir, 'lost');
    rmSync(dataPath);
    expectOneLineError(
      await runCli(['profile', modelPath]),
      /external data file "lost\.weights\.bin".*Copy the file there/,
    );
  });

  it('exits cleanly with one line when its worker is killed mid-run', async () => {
    let cliPid = 0;
    const running = runCli(['profile', SAMPLE, '--runs', '1000000', '--warmup', '0'], (pid) => (cliPid = pid));
    // Wait for the worker (the CLI's child), then kill it as the OOM killer would.
    let workerPid = '';
    for (let i = 0; i < 200 && !workerPid; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        workerPid =
          execFileSync('pgrep', ['-P', String(cliPid), '-f', 'runner/worker'], { encoding: 'utf8' })
            .trim()
            .split('\n')[0] ?? '';
      } catch {
        // no child yet
      }
    }
    await new Promise((r) => setTimeout(r, 1500)); // well into the timed runs
    expect(Number(workerPid)).toBeGreaterThan(0); // never kill(0): that is our own process group
    process.kill(Number(workerPid), 'SIGKILL');
    const result = await running;
    expectOneLineError(result, /inference worker was killed \(SIGKILL/);
    expect(result.code).toBe(1);
  });

  it('takes its worker down with it when the CLI is killed outright, leaving no temp folder', async () => {
    // Its own temp folder, so other processes' strata-trace-* folders do not count.
    const tmp = mkdtempSync(join(dir, 'tmp-kill-'));
    let cliPid = 0;
    const running = runCli(['profile', SAMPLE, '--runs', '1000000', '--warmup', '0'], (pid) => (cliPid = pid), {
      TMPDIR: tmp,
    });
    const workerPid = await workerOf(cliPid);
    await new Promise((r) => setTimeout(r, 1500)); // well into the timed runs
    expect(readdirSync(tmp).filter((f) => f.startsWith('strata-trace-'))).toHaveLength(1);
    process.kill(cliPid, 'SIGKILL'); // no handler runs: only the worker can notice
    await running;
    expect(await endsWithin(workerPid, 3000)).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.startsWith('strata-') || f.startsWith('mat-debug-'))).toEqual([]);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`stops like Ctrl-C on ${signal}: worker ended, temp files removed, exit ${code}`, async () => {
      const tmp = mkdtempSync(join(dir, `tmp-${signal}-`));
      let cliPid = 0;
      const json = join(dir, `${signal}.json`);
      const running = runCli(
        ['profile', SAMPLE, '--runs', '1000000', '--warmup', '0', '--json', json],
        (pid) => (cliPid = pid),
        { TMPDIR: tmp },
      );
      const workerPid = await workerOf(cliPid);
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(cliPid, signal);
      const result = await running;
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(
        new RegExp(
          `strata: stopped by ${signal}; the inference worker was stopped and its temporary files removed\\.\\n$`,
        ),
      );
      expect(errorLines(result.stderr)).toEqual([]);
      expect(ended(workerPid)).toBe(true);
      expect(readdirSync(tmp).filter((f) => f.startsWith('strata-') || f.startsWith('mat-debug-'))).toEqual([]);
      expect(existsSync(json)).toBe(false); // stopped means no report
    });
  }

  it('rejects an unknown flag as a usage error with exit code 2', async () => {
    const result = await runCli(['profile', OCR_CLS, '--frobnicate']);
    expectOneLineError(result, /frobnicate/);
    expect(result.code).toBe(2);
  });
});
