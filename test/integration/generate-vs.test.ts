// Two decoders through the app's API, as the Generation and Compare views start them:
// generate:start with a vsPath runs the pair the `strata generate A --vs B` way in one job (A's
// profile ends with both in alternating rounds), and generate:done carries the comparison, its
// speeds from those rounds. A B that is not a decoder is refused before A runs; a path the user
// did not choose is refused before anything runs. No timing is asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventChannels } from '../../shared/api.js';
import { createApiHandlers } from '../../electron/api/handlers.js';
import { FileAccess } from '../../electron/api/file-access.js';
import { percentile } from '../../electron/core/profile/stats.js';
import { defaultGenerateSettings } from '../../shared/generate.js';
import { defaultPlan } from '../../shared/plan.js';
import { buildDecoder, writeDecoderDir } from '../support/decoder-models.js';
import { buildMlp } from '../support/synthetic-models.js';

type Event = { [E in EventChannel]: { channel: E; payload: EventChannels[E] } }[EventChannel];

let dir: string;
let fp32: string;
let fp16: string;
let mlp: string;
let events: Event[];
let handlers: ReturnType<typeof createApiHandlers>;
const settings = { ...defaultGenerateSettings(), promptLengths: [8, 16], newTokens: 8, context: 48, reps: 2 };
const plan = { ...defaultPlan(), intraOpThreads: 1 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function finished(runId: string): Promise<Event> {
  for (;;) {
    const end = events.find(
      (e) => (e.channel === 'generate:done' || e.channel === 'generate:failed') && e.payload.runId === runId,
    );
    if (end) return end;
    await sleep(50);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-generate-vs-'));
  // The same decoder twice, its KV cache in float32 and in float16: both model.onnx, as Optimum names them.
  fp32 = writeDecoderDir(join(dir, 'fp32'), buildDecoder({ layers: 2 }));
  fp16 = writeDecoderDir(join(dir, 'fp16'), buildDecoder({ layers: 2, kvFloat16: true }));
  mlp = join(dir, 'mlp.onnx');
  writeFileSync(mlp, buildMlp({ sizes: [4, 8, 2] }).bytes);
  events = [];
  const files = new FileAccess();
  files.allowFolder(dir);
  handlers = createApiHandlers({
    mode: 'browser',
    files,
    emit: (channel, payload) => events.push({ channel, payload } as Event),
  });
});

afterAll(async () => {
  await handlers.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('generate:start with a second decoder', () => {
  it('profiles both in one job and ends with their comparison, its speeds from alternating rounds', async () => {
    const { runId } = await handlers['generate:start']({ modelPath: fp32, vsPath: fp16, settings, plan });
    const end = await finished(runId);
    if (end.channel !== 'generate:done') throw new Error(`the run failed: ${JSON.stringify(end.payload)}`);
    const { report, comparison } = end.payload;
    expect(comparison).toBeDefined();
    const c = comparison!;
    // The report is A's (the model asked for), and the comparison holds both.
    expect(report.model.path).toBe(fp32);
    expect(c.a.model.path).toBe(fp32);
    expect(c.b.model.path).toBe(fp16);
    expect(c.b.settings).toEqual(c.a.settings);
    expect(c.names).toEqual(['model.onnx (2 layers, float32 cache)', 'model.onnx (2 layers, float16 cache)']);
    // A's profile ended with both decoders in alternating rounds: each repetition at each prompt length.
    const rounds = c.a.alternatingRounds!;
    expect(rounds.vsPath).toBe(fp16);
    for (const side of [rounds.a, rounds.b]) {
      expect(side.map((p) => p.promptTokens)).toEqual([8, 16]);
      for (const p of side) {
        expect(p.ttftSamplesMs).toHaveLength(2);
        expect(p.decodeStepSamplesMs).toHaveLength(2);
      }
    }
    // The speeds are those rounds' samples, one per generation, not each profile's own sweep.
    const perToken = c.speeds[0]!;
    expect(perToken).toMatchObject({ what: 'per-token decode latency', samples: [4, 4] });
    const roundSamples = rounds.b.flatMap((p) => p.decodeStepSamplesMs ?? []);
    expect(perToken.bMs).toBe(percentile(roundSamples, 50));
    expect(perToken.aMs).toBe(
      percentile(
        rounds.a.flatMap((p) => p.decodeStepSamplesMs ?? []),
        50,
      ),
    );
    expect(c.notes.at(-1)).toMatch(/^Speeds are from alternating rounds/);
    expect(c.verdict).toMatch(/alternating rounds \(.*back to back on one prompt\) in \d blocks of fresh sessions/);
    // B's KV cache is float16: half of A's bytes.
    expect(c.metrics.find((m) => m.metric.startsWith('KV cache computed'))!.ratio).toBe(0.5);

    // One bar over both: A's progress first ("A: ..."), then B's, never going back past the half.
    const progress = events
      .filter((e): e is Extract<Event, { channel: 'generate:progress' }> => e.channel === 'generate:progress')
      .filter((e) => e.payload.runId === runId)
      .map((e) => e.payload.progress);
    const firstB = progress.findIndex((p) => p.message.startsWith('B: '));
    expect(firstB).toBeGreaterThan(0);
    expect(progress.slice(0, firstB).every((p) => p.message.startsWith('A: ') && p.fraction <= 0.5)).toBe(true);
    expect(progress.slice(firstB).every((p) => p.message.startsWith('B: ') && p.fraction >= 0.5)).toBe(true);
  });

  it("is cancelled as one job: a cancel during A's profile ends it there, B never starts", async () => {
    const { runId } = await handlers['generate:start']({ modelPath: fp32, vsPath: fp16, settings, plan });
    const mine = () =>
      events.filter(
        (e): e is Extract<Event, { channel: 'generate:progress' }> =>
          e.channel === 'generate:progress' && e.payload.runId === runId,
      );
    while (!mine().some((e) => e.payload.progress.message.startsWith('A: '))) await sleep(20);
    expect(await handlers['profile:cancel'](runId)).toEqual({ cancelled: true });
    expect((await finished(runId)).channel).toBe('generate:failed');
    expect(mine().some((e) => e.payload.progress.message.startsWith('B: '))).toBe(false);
    // The table is free again: the next run starts.
    expect(handlers.jobs.running()).toBeNull();
  });

  it('refuses a B that is not a decoder before A runs, in one line', async () => {
    const before = events.length;
    const { runId } = await handlers['generate:start']({ modelPath: fp32, vsPath: mlp, settings, plan });
    const end = await finished(runId);
    expect(end.channel).toBe('generate:failed');
    if (end.channel !== 'generate:failed') return;
    expect(end.payload.error.message).toMatch(
      /^"mlp\.onnx" is not a decoder Strata can generate with: expected input_ids/,
    );
    // Nothing of A ran: no progress at all.
    expect(events.slice(before).some((e) => e.channel === 'generate:progress')).toBe(false);
  });

  it('refuses a B too short for the run before A runs, naming it', async () => {
    const short = writeDecoderDir(join(dir, 'short'), buildDecoder({ layers: 1, maxPositions: 32 }));
    const { runId } = await handlers['generate:start']({ modelPath: fp32, vsPath: short, settings, plan });
    const end = await finished(runId);
    expect(end.channel).toBe('generate:failed');
    if (end.channel !== 'generate:failed') return;
    expect(end.payload.error.message).toMatch(
      /^The decoder compared "model\.onnx" allows a context of 32 tokens, but this run needs 48/,
    );
  });

  it('refuses a decoder to compare that the user did not open, and a draft beside it', async () => {
    const elsewhere = writeDecoderDir(
      mkdtempSync(join(tmpdir(), 'strata-generate-vs-out-')),
      buildDecoder({ layers: 1 }),
    );
    try {
      await expect(handlers['generate:start']({ modelPath: fp32, vsPath: elsewhere, settings, plan })).rejects.toThrow(
        /The decoder to compare ".*model\.onnx" was not opened in Strata/,
      );
    } finally {
      rmSync(join(elsewhere, '..'), { recursive: true, force: true });
    }
    await expect(
      handlers['generate:start']({ modelPath: fp32, vsPath: fp16, draftPath: fp16, settings, plan }),
    ).rejects.toThrow(/A draft and a decoder to compare are two different runs/);
  });
});
