// `strata generate` as a user runs it: the built CLI in a child process. Each wrong model or pair
// ends in one clear line and a non-zero exit; a real run writes JSON with llama-bench's fields and
// an HTML page with every section.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateReport } from '../../shared/generate.js';
import type { GenerateComparison } from '../../shared/generate-compare.js';
import { buildDecoder, buildDecoderWithoutCache, writeDecoderDir } from '../support/decoder-models.js';
import { buildMlp } from '../support/synthetic-models.js';
import { REPO } from '../fixtures/paths.js';

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'strata.js'), 'generate', ...args], {
      cwd: REPO,
      env: { ...process.env, STRATA_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The one error line (progress lines come before it on a terminal only).
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('strata: error'));
}

let dir: string;
let target: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-generate-cli-'));
  target = writeDecoderDir(join(dir, 'target'), buildDecoder({ layers: 2, maxPositions: 96 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata generate refuses with one clear line', () => {
  it('a model that is not a decoder', async () => {
    const mlp = join(dir, 'mlp.onnx');
    writeFileSync(mlp, buildMlp({ sizes: [4, 8, 2] }).bytes);
    const r = await runCli([mlp]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /"mlp\.onnx" is not a decoder Strata can generate with: expected input_ids.*it has inputs x and outputs y\./,
    );
  });

  it('a decoder exported without its KV cache', async () => {
    const path = join(dir, 'nocache.onnx');
    writeFileSync(path, buildDecoderWithoutCache());
    const r = await runCli([path]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/has no past_key_values\.N\.key\/value inputs: it was exported without a KV cache/);
  });

  it('a draft with another vocabulary', async () => {
    const draft = writeDecoderDir(join(dir, 'draft300'), buildDecoder({ layers: 1, vocab: 300 }));
    const r = await runCli([target, '--draft', draft, '--prompt-lengths', '8', '--new-tokens', '8']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /has a vocabulary of 300 tokens and the target 256: speculative decoding needs both to use the same tokenizer\./,
    );
  });

  it('a context longer than the model allows', async () => {
    const r = await runCli([target, '--prompt-lengths', '16,64', '--new-tokens', '64']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/allows a context of 96 tokens, but this run needs 128/);
  });

  it("a draft's context too short, naming the draft (Optimum exports are all model.onnx)", async () => {
    const draft = writeDecoderDir(join(dir, 'draft64'), buildDecoder({ layers: 1, maxPositions: 64 }));
    const r = await runCli([target, '--draft', draft, '--prompt-lengths', '16,64', '--new-tokens', '16']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/The draft "model\.onnx" allows a context of 64 tokens, but this run needs 80/);
  });

  it('a context past the position table of a decoder without config.json', async () => {
    const short = writeDecoderDir(join(dir, 'noconfig'), buildDecoder({ layers: 1, maxPositions: 64 }), {
      config: false,
    });
    const r = await runCli([short, '--prompt-lengths', '64', '--new-tokens', '8', '--reps', '1']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/"model\.onnx" failed at a context of 65 tokens, probably longer than its position table/);
    expect(r.stderr).not.toMatch(/--shape/);
  });

  it('--vs with a B that is not a decoder, before A is profiled', async () => {
    // A alone would fail while running (its context is past its position table); B is refused first.
    const mlp = join(dir, 'mlp-b.onnx');
    writeFileSync(mlp, buildMlp({ sizes: [4, 8, 2] }).bytes);
    const short = writeDecoderDir(join(dir, 'noconfig-a'), buildDecoder({ layers: 1, maxPositions: 64 }), {
      config: false,
    });
    const r = await runCli([short, '--vs', mlp, '--prompt-lengths', '64', '--new-tokens', '8', '--reps', '1']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/"mlp-b\.onnx" is not a decoder Strata can generate with/);
  });

  it('--vs with a B of another vocabulary, before A is profiled', async () => {
    const other = writeDecoderDir(join(dir, 'vocab512'), buildDecoder({ layers: 1, vocab: 512 }));
    const r = await runCli([other, '--vs', target, '--prompt-lengths', '8', '--new-tokens', '4', '--reps', '1']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /--vs "model\.onnx" has a vocabulary of 256 tokens and the decoder it is compared with 512: the two are fed the same prompts \(token ids\), so they must use the same tokenizer\./,
    );
  });

  it('a gamma without a draft', async () => {
    const r = await runCli([target, '--gamma', '1-4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--gamma is for the speculative measurements and needs a draft model/);
  });
});

describe('strata generate on a decoder', () => {
  it('prints the summary and writes JSON with llama-bench fields and the HTML sections', async () => {
    const json = join(dir, 'out', 'gen.json');
    const html = join(dir, 'out', 'gen.html');
    const draft = writeDecoderDir(join(dir, 'draft'), buildDecoder({ layers: 2, keepLayers: 1, maxPositions: 96 }));
    const r = await runCli([
      target,
      '--prompt-lengths',
      '8,24',
      '--new-tokens',
      '12',
      '--reps',
      '2',
      '--draft',
      draft,
      '--gamma',
      '1-3',
      '--prompts',
      '2',
      '--threads',
      '1',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/decoder of 2 layers, 2 KV heads x 16, vocabulary 256/);
    expect(r.stdout).toMatch(/KV cache at 36 tokens: computed 18\.0 KiB/);
    // The two rates are named apart: the median step rate here, llama-bench's avg_ts in the JSON.
    expect(r.stdout).toContain('step rate/s');
    expect(r.stdout).toMatch(/Median decode step rate \(1000 \/ median step\) by KV depth/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as GenerateReport;
    expect(report.schema).toBe('strata.generate');
    const row = report.llamaBench[0]!;
    for (const key of ['n_prompt', 'n_gen', 'n_depth', 'avg_ts', 'stddev_ts', 'samples_ts'])
      expect(Object.keys(row)).toContain(key);
    expect(report.speculative!.runs.map((x) => x.gamma)).toEqual([1, 2, 3]);
    const page = readFileSync(html, 'utf8');
    for (const id of [
      'summary',
      'ttft',
      'decode-depth',
      'timeline',
      'kv-memory',
      'layers',
      'speculative',
      'llama-bench',
    ])
      expect(page).toContain(`<section id="${id}">`);
    // The app's phase switch, every phase drawn; the table has each phase's share.
    for (const phase of ['prefill', 'decode', 'both']) expect(page).toContain(`aria-label="Layers, ${phase}"`);
    expect(page).toContain('<th>share of generation</th>');
    expect(page).toMatch(/Greedy agreement α by generated position .*: 1: \d\.\d\d, 2: \d\.\d\d/);
    expect(page).toContain("default-src 'none'");
  });

  it('compares two decoders with --vs: the same settings for both, the comparison in JSON and HTML', async () => {
    const json = join(dir, 'out', 'vs.json');
    const html = join(dir, 'out', 'vs.html');
    const fp16 = writeDecoderDir(join(dir, 'fp16'), buildDecoder({ layers: 2, maxPositions: 96, kvFloat16: true }));
    const r = await runCli([
      target,
      '--vs',
      fp16,
      '--prompt-lengths',
      '8,24',
      '--new-tokens',
      '12',
      '--reps',
      '2',
      '--threads',
      '1',
      '--json',
      json,
      '--html',
      html,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^A: model\.onnx \(2 layers, float32 cache\) {3}B: model\.onnx \(2 layers, float16 cache\)/,
    );
    // Two repetitions, each a block of fresh sessions running both prompt lengths: 4 rounds in 2
    // blocks, too few blocks for a verdict on either speed.
    expect(r.stdout).toMatch(/per-token decode latency .* too few blocks/);
    expect(r.stdout).toMatch(
      /No per-token verdict: 4 alternating rounds \(.*\) in 2 blocks of fresh sessions are too few/,
    );
    expect(r.stdout).toMatch(/TTFT at 8 tokens .* too few blocks/);
    expect(r.stdout).toMatch(/KV cache computed, at the deepest context +18\.0 KiB +9\.00 KiB +0\.50x/);
    const c = JSON.parse(readFileSync(json, 'utf8')) as GenerateComparison;
    expect(c.schema).toBe('strata.generate-compare');
    expect(c.a.decoder.kvElementType).toBe('float32');
    expect(c.b.decoder.kvElementType).toBe('float16');
    expect(c.b.settings).toEqual(c.a.settings);
    expect(c.speeds.map((s) => s.what)).toEqual(['per-token decode latency', 'TTFT at 8 tokens', 'TTFT at 24 tokens']);
    expect(c.speeds[0]).toMatchObject({ samples: [4, 4], paired: true, blocks: 2 });
    // A's profile ended with A and B in alternating rounds; the speeds come from those.
    expect(c.a.alternatingRounds?.vsPath).toBe(fp16);
    expect(c.a.alternatingRounds?.b.map((p) => p.ttftSamplesMs.length)).toEqual([2, 2]);
    expect(c.notes.at(-1)).toMatch(/^Speeds are from alternating rounds/);
    const page = readFileSync(html, 'utf8');
    for (const id of ['verdict', 'metrics', 'ttft', 'decode-depth', 'timeline', 'kv-memory', 'layers', 'notes'])
      expect(page).toContain(`<section id="${id}">`);
  });
});
