/**
 * The fuzz suite: generated models through profile, quantize, convert, prune, generate and compare, and
 * malformed WebSocket traffic against `strata serve`. Used by the CI slice (fuzz.test.ts) and by
 * `npm run fuzz -- --count N` (run.ts).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configDir } from '../../electron/core/config-dir.js';
import { startServe } from '../support/serve.js';
import { writeDecoderCase } from './decoders.js';
import { baselineModel, generateCase, type ModelCase } from './models.js';
import { runCase, type CaseResult, type Outcome } from './run-case.js';
import { namedCases, randomCases, sendCase, type Target } from './ws-frames.js';

const PLAN = ['--runs', '2', '--warmup', '0', '--profiled-runs', '1', '--timeout', '20'];

/** The command a case goes through: profile most often, compare least (it runs every model twice). */
export function commandFor(seed: number, c: ModelCase, dir: string, baseline: string): string[] {
  const pick = Math.floor(seed / 9) % 9; // seed % 9 picks the kind: this spreads kinds over commands
  switch (pick) {
    case 0:
    case 1:
    case 2:
      return ['profile', c.modelPath, ...PLAN];
    case 3:
      return ['quantize', c.modelPath, '--out', join(dir, 'out.onnx')];
    case 4:
      return ['convert', c.modelPath, '--fp16', '--out', join(dir, 'out.onnx')];
    case 5:
      return ['prune', c.modelPath, '--sparsity', '0.5', '--out', join(dir, 'out.onnx')];
    case 6:
      return ['quantize', c.modelPath, '--out', join(dir, 'out.onnx'), '--per-channel', '--symmetric'];
    case 7: {
      // Half the generate cases take the fuzzed model (not a decoder: the one line saying what a
      // decoder needs), half a small decoder, whole or damaged as exports can be.
      const out = ['--json', join(dir, 'gen.json')];
      if (seed % 2 === 1) {
        const d = writeDecoderCase(seed, join(dir, 'decoder'));
        return ['generate', d.modelPath, ...d.args, ...out];
      }
      return [
        'generate',
        c.modelPath,
        '--prompt-lengths',
        '4',
        '--new-tokens',
        '2',
        '--reps',
        '1',
        '--timeout',
        '20',
        ...out,
      ];
    }
    default:
      return ['compare', baseline, c.modelPath, ...PLAN, '--json', join(dir, 'cmp.json')];
  }
}

/** One model case's record. */
export interface ModelCaseRecord extends CaseResult {
  readonly seed: number;
  readonly kind: string;
  readonly what: string;
}

/** Runs model cases `seeds` (up to `jobs` at once), calling `onResult` as each ends. */
export async function runModelCases(
  seeds: readonly number[],
  options: { jobs?: number; timeoutMs?: number; keep?: boolean; onResult?: (r: ModelCaseRecord) => void } = {},
): Promise<ModelCaseRecord[]> {
  const root = mkdtempSync(join(tmpdir(), 'strata-fuzz-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env = { ...process.env, HOME: home, STRATA_CONFIG_DIR: join(home, 'config') };
  // The machine's roofline ceilings, if already measured (under vitest: by this test run), so the
  // first successful profile does not spend a minute measuring them. Read only: nothing is written back.
  mkdirSync(env.STRATA_CONFIG_DIR, { recursive: true });
  if (existsSync(join(configDir(), 'ceilings.json')))
    copyFileSync(join(configDir(), 'ceilings.json'), join(env.STRATA_CONFIG_DIR, 'ceilings.json'));
  const baseline = join(root, 'baseline.onnx');
  writeFileSync(baseline, baselineModel());
  const records: ModelCaseRecord[] = [];
  const queue = [...seeds];
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const dir = join(root, `case-${seed}`, 'model');
      mkdirSync(dir, { recursive: true });
      const c = generateCase(seed, dir);
      const args = commandFor(seed, c, dir, baseline);
      const result = await runCase(args, {
        cwd: dir,
        tmp: join(root, `case-${seed}`, 'tmp'),
        env,
        timeoutMs: options.timeoutMs ?? 120_000,
      });
      const record = { ...result, seed, kind: c.kind, what: c.what };
      records.push(record);
      options.onResult?.(record);
      if (!options.keep || result.outcome === 'success' || result.outcome === 'clear')
        rmSync(join(root, `case-${seed}`), { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 1) }, worker));
  if (!options.keep) rmSync(root, { recursive: true, force: true });
  return records;
}

/** One WebSocket case's record: 'unclear' when the server stayed silent, 'crash' when it died. */
export interface WsCaseRecord {
  readonly name: string;
  readonly outcome: 'answered' | 'closed' | 'silent' | 'crash';
  readonly ok: boolean;
}

/** Sends the named cases and `count` seeded random ones; after each, checks the server still answers. */
export async function runWsCases(
  seed: number,
  count: number,
  onResult?: (r: WsCaseRecord) => void,
): Promise<WsCaseRecord[]> {
  const MAX = 64 * 1024;
  // Its own HOME too: `npm run fuzz` runs outside vitest's isolated one.
  const serve = await startServe({ ownHome: true, env: { STRATA_MAX_MESSAGE_BYTES: String(MAX) } });
  const target: Target = { origin: serve.origin, token: serve.token };
  const records: WsCaseRecord[] = [];
  try {
    for (const c of [...namedCases(MAX), ...randomCases(seed, count)]) {
      const outcome = await sendCase(target, c, 3000);
      const alive = serve.process.exitCode === null && (await stillServes(target));
      const ok =
        alive &&
        (c.expect === 'either'
          ? outcome !== 'silent'
          : c.expect === 'answer'
            ? outcome === 'answered'
            : outcome === 'closed');
      const record: WsCaseRecord = { name: c.name, outcome: alive ? outcome : 'crash', ok };
      records.push(record);
      onResult?.(record);
      if (!alive) break;
    }
  } finally {
    await serve.stop();
  }
  return records;
}

async function stillServes(target: Target): Promise<boolean> {
  const { openRaw, text, firstText } = await import('./ws-frames.js');
  try {
    const connection = await openRaw(target);
    connection.socket.write(text('{"id":1,"channel":"app:info","args":[]}'));
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const reply = firstText(connection);
      if (reply) {
        connection.socket.destroy();
        return (JSON.parse(reply) as { result: { ok: boolean } }).result.ok;
      }
    }
    connection.socket.destroy();
    return false;
  } catch {
    return false;
  }
}

/** Counts outcomes. */
export function tally(records: readonly { outcome: Outcome }[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { success: 0, clear: 0, unclear: 0, hang: 0, leak: 0, failure: 0 };
  for (const r of records) counts[r.outcome]++;
  return counts;
}
