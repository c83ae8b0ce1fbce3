/**
 * Seeded decoder cases for `strata generate` in the fuzz rotation: a small synthetic decoder
 * (test/support/decoder-models.ts), whole or damaged in a way a real export can be (cut short,
 * bytes flipped, a config.json of another model or of no model, a context over what the model
 * allows, a float16 cache, no position_ids). Each must end in a generation profile or one clear line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../electron/core/random.js';
import { buildDecoder, writeDecoderDir } from '../support/decoder-models.js';

/** What was written and the `strata generate` arguments after the model path. */
export interface DecoderCase {
  readonly modelPath: string;
  readonly what: string;
  readonly args: readonly string[];
}

const DAMAGE = ['whole', 'truncate', 'flip', 'other-config', 'garbage-config', 'over-context'] as const;

/** Writes decoder case `seed` into `dir` (model.onnx and config.json). */
export function writeDecoderCase(seed: number, dir: string): DecoderCase {
  const rng = createRng(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const options = {
    layers: pick([1, 2]),
    hidden: 32,
    heads: 4,
    kvHeads: pick([1, 2, 4]),
    ffn: 64,
    vocab: 64,
    maxPositions: 64,
    seed,
    kvFloat16: rng() < 0.5,
    positionIds: rng() < 0.5,
  };
  const model = buildDecoder(options);
  const modelPath = writeDecoderDir(dir, model);
  const damage = pick(DAMAGE);
  const args = ['--prompt-lengths', '4,8', '--new-tokens', '3', '--reps', '1', '--timeout', '20'];
  const shape = `${options.layers} layers, ${options.kvHeads} KV heads, ${options.kvFloat16 ? 'float16' : 'float32'} cache${options.positionIds ? '' : ', no position_ids'}`;
  switch (damage) {
    case 'truncate': {
      const bytes = readFileSync(modelPath);
      const cut = Math.floor(rng() * bytes.length);
      writeFileSync(modelPath, bytes.subarray(0, cut));
      return { modelPath, what: `decoder (${shape}) cut at byte ${cut}`, args };
    }
    case 'flip': {
      const bytes = Buffer.from(readFileSync(modelPath));
      const at: number[] = [];
      for (let i = 0; i < 4; i++) {
        const p = Math.floor(rng() * bytes.length);
        bytes[p] = bytes[p]! ^ (1 << Math.floor(rng() * 8));
        at.push(p);
      }
      writeFileSync(modelPath, bytes);
      return { modelPath, what: `decoder (${shape}) with bits flipped at ${at.join(', ')}`, args };
    }
    case 'other-config':
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ ...model.config, num_hidden_layers: options.layers + 3 }, null, 2),
      );
      return { modelPath, what: `decoder (${shape}) beside another model's config.json`, args };
    case 'garbage-config':
      writeFileSync(join(dir, 'config.json'), '{"num_hidden_layers": [}');
      return { modelPath, what: `decoder (${shape}) beside a config.json that does not parse`, args };
    case 'over-context':
      return {
        modelPath,
        what: `decoder (${shape}) asked for 200 tokens of its 64`,
        args: [...args, '--context', '200'],
      };
    default:
      return { modelPath, what: `decoder (${shape})`, args };
  }
}
