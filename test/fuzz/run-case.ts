/**
 * Runs one fuzz case through one `strata` command as a user would (the built CLI, a process of its
 * own in its own process group, its own temp folder) and classifies what happened:
 *   success  exit 0
 *   clear    exit 1 or 2 with exactly one short `strata: error:` line in plain words
 *   unclear  anything else: a crash, a signal, a stack trace, raw onnxruntime or JavaScript text
 *   hang     not finished within the time limit
 *   leak     finished, but left a process running or a file in its temp folder
 *   failure  exit 0, but the model it says it wrote is missing or does not load in onnxruntime
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../fixtures/paths.js';

/** What a fuzz case ended as. */
export type Outcome = 'success' | 'clear' | 'unclear' | 'hang' | 'leak' | 'failure';

/** One command run and its verdict. */
export interface CaseResult {
  readonly outcome: Outcome;
  readonly command: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly why: string; // for anything but success and clear: what was wrong
  readonly errorLine: string | null;
  readonly ms: number;
}

// Text that must never be the user's one line: raw onnxruntime, JavaScript internals, stack traces.
const RAW = [
  /::/,
  /\.(cc|cpp|h):\d+/,
  /onnxruntime_src/,
  /BFCArena/,
  /\bat \S+ \(.*:\d+:\d+\)/,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError)\b/,
  /Maximum call stack/,
  /Cannot read propert/,
  /is not a function/,
  /is not iterable/,
  /\bundefined\b/,
  /\bNaN\b/,
  /\[object Object\]/,
  /Invalid (typed )?array length/,
  /Array buffer allocation failed/,
  /Data cannot be cloned/,
];

// Anywhere in either stream, for any exit code: signs that internals reached the user.
const INTERNALS: readonly [RegExp, string][] = [
  [/^\s+at \S/, 'stack frame'],
  [/node:internal/, 'node:internal'],
  [/Node\.js v\d/, 'Node.js version trailer'],
  [/\w::\w|\.(cc|cpp|h):\d+|onnxruntime_src/, 'C++ signature or source location'],
];
const MAX_LINE = 500;

/** Judges a finished command's whole output (both streams): a problem, or null when it is clean. */
export function judgeOutput(stdout: string, stderr: string): { line: string | null; problem: string | null } {
  const lines = [...stdout.split('\n'), ...stderr.split('\n')].filter((l) => l.length > 0);
  const errors = lines.filter((l) => l.startsWith('strata: error:'));
  const line = errors[0] ?? null;
  if (errors.length > 1) return { line, problem: `${errors.length} error lines` };
  for (const l of lines) {
    const hit = INTERNALS.find(([re]) => re.test(l));
    if (hit) return { line: line ?? l, problem: `${hit[1]}: ${l.trim().slice(0, 120)}` };
    if (l.length > MAX_LINE) return { line, problem: `a line of ${l.length} characters` };
  }
  // eslint-disable-next-line no-control-regex -- finding raw control characters is this check's job
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(stdout + stderr))
    return { line, problem: 'raw control characters' };
  return { line, problem: null };
}

/** Judges a failed command's stderr: null when it is one clear error line, else why not. */
export function judgeError(stderr: string, stdout = ''): { line: string | null; problem: string | null } {
  const whole = judgeOutput(stdout, stderr);
  if (whole.problem) return whole;
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  const errors = lines.filter((l) => l.startsWith('strata: error:'));
  if (errors.length !== 1) return { line: errors[0] ?? null, problem: `${errors.length} error lines` };
  const line = errors[0]!;
  const strays = lines.filter((l) => !l.startsWith('strata: ') && !l.startsWith('npm '));
  if (strays.length) return { line, problem: `stray output: ${strays[0]!.slice(0, 120)}` };
  const raw = RAW.find((r) => r.test(line));
  if (raw) return { line, problem: `raw text (${raw.source})` };
  return { line, problem: null };
}

/** Processes still running (not zombies) in process group `pgid`. */
export function processesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') found.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

/** Runs `strata ARGS` in `cwd` with a fresh temp folder `tmp`, within `timeoutMs`. */
export async function runCase(
  args: readonly string[],
  options: { cwd: string; tmp: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CaseResult> {
  mkdirSync(options.tmp, { recursive: true });
  const started = Date.now();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], {
    cwd: options.cwd,
    env: { ...options.env, TMPDIR: options.tmp, STRATA_DEBUG: '' },
    detached: true, // its own process group: everything it starts can be found and stopped
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pgid = child.pid!;
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    if (stdout.length < 200_000) stdout += d.toString('utf8');
  });
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 200_000) stderr += d.toString('utf8');
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }, options.timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (c, s) => resolve({ code: c, signal: s })),
  );
  clearTimeout(timer);
  const ms = Date.now() - started;
  const command = args[0] ?? '';
  const result = (outcome: Outcome, why: string, errorLine: string | null = null): CaseResult => ({
    outcome,
    command,
    code,
    signal,
    why,
    errorLine,
    ms,
  });
  if (timedOut) return result('hang', `no exit within ${options.timeoutMs} ms`);

  // Leaks: a process of the group still running a moment after the CLI exited, or a temp file.
  await new Promise((r) => setTimeout(r, 300));
  const left = processesInGroup(pgid);
  if (left.length) {
    const what = left
      .map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 80))
      .join('; ');
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
    return result('leak', `process left running: ${what}`);
  }
  // onnxruntime's telemetry keeps one session file, `.ses`, in the temp folder: shared by every
  // process that loads it and rewritten in place, so one, not one per run. Not Strata's to remove.
  const files = readdirSync(options.tmp).filter((f) => f !== '.ses');
  const strays = readdirSync(options.cwd).filter((f) => f.includes('.strata-tmp'));
  rmSync(options.tmp, { recursive: true, force: true });
  if (files.length || strays.length)
    return result('leak', `files left: ${[...files, ...strays].slice(0, 5).join(', ')}`);

  if (code === 0) {
    const { line, problem } = judgeOutput(stdout, stderr);
    if (problem) return result('unclear', problem, line);
    // A command that says it wrote a model must have written one onnxruntime loads.
    const out = args.indexOf('--out');
    if (out > 0 && args[0] !== 'compare') {
      const loadError = await modelLoadError(args[out + 1]!, options.timeoutMs);
      if (loadError) return result('failure', `exit 0 but the written model does not load: ${loadError}`);
    }
    return result('success', '');
  }
  if (code !== 1 && code !== 2) return result('unclear', signal ? `killed by ${signal}` : `exit code ${code}`, null);
  const { line, problem } = judgeError(stderr, stdout);
  if (problem) return result('unclear', problem, line);
  return result('clear', '', line);
}

// Loads `path` in onnxruntime in a process of its own (a bad model may crash it): null when it
// loads, else what went wrong.
async function modelLoadError(path: string, timeoutMs: number): Promise<string | null> {
  if (!existsSync(path)) return 'no file was written';
  const tmp = mkdtempSync(join(tmpdir(), 'strata-fuzz-load-'));
  const script = `require('onnxruntime-node').InferenceSession.create(process.argv[1]).then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.message)); process.exit(3); })`;
  const child = spawn(process.execPath, ['-e', script, path], {
    cwd: REPO,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (c, s) => resolve({ code: c, signal: s })),
  );
  clearTimeout(timer);
  rmSync(tmp, { recursive: true, force: true });
  if (code === 0) return null;
  return signal
    ? `the loader was killed by ${signal}`
    : stderr.trim().split('\n')[0]!.slice(0, 300) || `the loader exited with code ${code}`;
}
