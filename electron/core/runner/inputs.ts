/**
 * The inputs a profile feeds the model: shapes with every symbolic dim fixed, and values made from
 * a seed, zeros, a scalar or a file. Pure (apart from reading input files), so it is unit-tested
 * without onnxruntime; the worker turns the results into tensors.
 */
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { basename } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { formatBytes } from '../../../shared/format.js';
import type { ElementType, TensorInfo } from '../../../shared/model.js';
import type { InputSource, ProfilePlan } from '../../../shared/plan.js';
import type { ResolvedInput } from '../../../shared/report.js';
import { createRng } from '../random.js';
import { float32ToFloat16 } from '../model/tensor-data.js';
import { TYPED_ARRAY_OF, type DataElementType, type InputData } from './input-data.js';
import { readNpy } from './npy.js';

export type { DataElementType, InputData } from './input-data.js';

/** A dim the model leaves open that nothing in the plan set, so Strata used 1. */
export interface DefaultedDim {
  readonly input: string;
  readonly index: number;
  readonly symbol: string | null; // the dim's name in the model, when it has one
}

/** Inputs with fixed shapes, plus notes on the defaults Strata chose. */
export interface ResolvedInputs {
  readonly resolved: ResolvedInput[];
  /** Shapes to pin in the model: only inputs with an open dim; {} when every dim is fixed already. */
  readonly shapes: Record<string, number[]>;
  readonly notes: string[];
  readonly defaulted: DefaultedDim[];
}

/** Fixes every input's shape from the plan (--shape, --dim), defaulting leftover symbolic dims to 1 with a note. */
export function resolveInputs(inputs: readonly TensorInfo[], plan: ProfilePlan): ResolvedInputs {
  const names = inputs.map((i) => i.name);
  const known = names.map((n) => `"${n}"`).join(', ');
  for (const name of Object.keys(plan.shapes)) {
    if (!names.includes(name))
      throw new StrataError(
        'BAD_SHAPE',
        `--shape names "${name}", but the model has no input by that name. Its inputs are: ${known}.`,
      );
    const given = plan.shapes[name]!;
    if (!given.every(isSize))
      throw new StrataError(
        'BAD_SHAPE',
        `--shape ${name}=[${given.join(', ')}] must hold positive whole numbers only.`,
      );
  }
  for (const name of Object.keys(plan.inputs)) {
    if (!names.includes(name))
      throw new StrataError(
        'BAD_INPUT',
        `--input names "${name}", but the model has no input by that name. Its inputs are: ${known}.`,
      );
  }
  for (const [symbol, size] of Object.entries(plan.dims)) {
    if (!isSize(size)) throw new StrataError('BAD_SHAPE', `--dim ${symbol}=${size} must be a positive whole number.`);
  }
  const symbols = new Set(inputs.flatMap((i) => (i.dims ?? []).filter((d): d is string => typeof d === 'string')));
  for (const symbol of Object.keys(plan.dims)) {
    if (!symbols.has(symbol)) {
      throw new StrataError(
        'BAD_SHAPE',
        `No input has a dim named "${symbol}". ` +
          (symbols.size
            ? `Named dims: ${[...symbols].map((s) => `"${s}"`).join(', ')}.`
            : 'The model has no named symbolic dims; use --shape.'),
      );
    }
  }
  const notes: string[] = [];
  const defaulted: DefaultedDim[] = [];
  const shapes: Record<string, number[]> = {};
  const resolved = inputs.map((input): ResolvedInput => {
    const given = plan.shapes[input.name];
    const modelDims = input.dims;
    let shape: number[];
    if (given) {
      if (modelDims && modelDims.length !== given.length) {
        throw new StrataError(
          'BAD_SHAPE',
          `Input "${input.name}" has ${modelDims.length} dims [${describeDims(modelDims)}] but --shape gives ${given.length}: [${given.join(', ')}].`,
        );
      }
      modelDims?.forEach((d, i) => {
        if (typeof d === 'number' && d > 0 && d !== given[i]) {
          throw new StrataError(
            'BAD_SHAPE',
            `Input "${input.name}" dim ${i} is fixed at ${d} in the model ([${describeDims(modelDims)}]), but --shape sets it to ${given[i]}.`,
          );
        }
      });
      shape = [...given];
    } else if (modelDims === null) {
      throw new StrataError(
        'BAD_SHAPE',
        `Input "${input.name}" has no shape in the model. Give one with --shape ${input.name}=1x3x224x224.`,
      );
    } else {
      shape = modelDims.map((d, i) => {
        if (typeof d === 'number' && d > 0) return d;
        if (typeof d === 'string' && plan.dims[d] !== undefined) return plan.dims[d]!;
        const label = typeof d === 'string' ? ` ('${d}')` : '';
        // Notes show in the app too: say where to set it there as well as on the command line.
        notes.push(
          `Input '${input.name}' dim ${i}${label} is symbolic; using 1. Set it in Run settings, or with ` +
            (typeof d === 'string' ? `--dim ${d}=N or ` : '') +
            `${shapeFlag(input.name, modelDims)} on the command line.`,
        );
        defaulted.push({ input: input.name, index: i, symbol: typeof d === 'string' ? d : null });
        return 1;
      });
    }
    // Only inputs with an open dim need pinning: rewriting the model costs seconds and gigabytes
    // on a large one, and a model whose inputs are all fixed loads from its file as it is.
    if (needsPinning(modelDims)) shapes[input.name] = shape;
    return {
      name: input.name,
      elementType: input.elementType,
      shape,
      source: describeSource(plan.inputs[input.name], plan.seed),
    };
  });
  return { resolved, shapes, notes, defaulted };
}

// "--shape x=Nx3xNxN": the input's dims with every open one as N.
function shapeFlag(name: string, dims: readonly (number | string | null)[]): string {
  return `--shape ${name}=${dims.map((x) => (typeof x === 'number' && x > 0 ? x : 'N')).join('x') || '...'}`;
}

/**
 * The sentence to add to a failure when Strata chose some dims: "Strata set 3 dims the model leaves
 * open to 1: 'input' dim 0 and dim 1, 'state' dim 1 ('batch'). …". Empty when it chose none.
 */
export function describeDefaultedDims(defaulted: readonly DefaultedDim[], inputs: readonly TensorInfo[]): string {
  if (defaulted.length === 0) return '';
  const byInput = new Map<string, DefaultedDim[]>();
  for (const d of defaulted) byInput.set(d.input, [...(byInput.get(d.input) ?? []), d]);
  const which = [...byInput.entries()]
    .map(
      ([name, dims]) =>
        `'${name}' ${dims.map((d) => `dim ${d.index}${d.symbol ? ` ('${d.symbol}')` : ''}`).join(' and ')}`,
    )
    .join(', ');
  const symbols = [...new Set(defaulted.map((d) => d.symbol).filter((s): s is string => s !== null))];
  const flags = [
    ...symbols.map((s) => `--dim ${s}=N`),
    ...[...byInput.keys()]
      .filter((name) => byInput.get(name)!.some((d) => d.symbol === null))
      .map((name) => shapeFlag(name, inputs.find((i) => i.name === name)?.dims ?? [])),
  ];
  const count = defaulted.length === 1 ? 'a dim' : `${defaulted.length} dims`;
  return (
    `Strata set ${count} the model leaves open to 1: ${which}. If that is too small for this model, ` +
    `set ${defaulted.length === 1 ? 'it' : 'them'} in Run settings, or with ${flags.join(' ')} on the command line.`
  );
}
/** True when some dim of the model's input is not a fixed size (symbolic, unknown, or no shape at all). */
function needsPinning(dims: TensorInfo['dims']): boolean {
  return dims === null || dims.some((d) => typeof d !== 'number' || d <= 0);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}

function describeDims(dims: readonly (number | string | null)[]): string {
  return dims.map((d) => (d === null ? '?' : String(d))).join(', ');
}

function describeSource(source: InputSource | undefined, seed: number): string {
  if (!source) return `random(seed=${seed})`;
  switch (source.kind) {
    case 'random':
      return `random(seed=${source.seed})`;
    case 'zeros':
      return 'zeros';
    case 'scalar':
      return `value ${source.value}`;
    case 'file':
      return `file ${basename(source.path)}`;
  }
}

const ELEMENT_BYTES: Record<DataElementType, number> = {
  float32: 4,
  float16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/** Most input bytes one job message to the worker carries (Node's structured clone fails past ~2 GiB). */
export const MAX_IPC_INPUT_BYTES = 1024 ** 3;

/**
 * Refuses inputs too big to make, before any is allocated: one input over the JS engine's longest
 * typed array, or all of them over a quarter of the machine's memory (they are copied to the worker,
 * and the model's activations need room beside them). Without this, `--dim batch=1e9` ends in a raw
 * "Invalid typed array length" or takes the machine's memory.
 */
export function assertInputsFit(resolved: readonly ResolvedInput[], memoryBytes: number = totalmem()): void {
  // A quarter of the memory, and never past what one message to the worker can carry: Node's IPC
  // fails past ~2 GiB with "Unable to deserialize cloned data" and the worker just exits.
  const budget = Math.min(memoryBytes / 4, MAX_IPC_INPUT_BYTES);
  let total = 0;
  for (const input of resolved) {
    const bytesPer = ELEMENT_BYTES[input.elementType as DataElementType];
    if (bytesPer === undefined) continue; // dataType() refuses it with its own message
    const count = input.shape.reduce((a, b) => a * b, 1);
    const bytes = count * bytesPer;
    total += bytes;
    const what = `Input "${input.name}" at [${input.shape.join(', ')}] ${input.elementType} takes ${formatBytes(bytes)} (${count.toLocaleString('en-US')} values)`;
    const fix = 'Use a smaller shape: set its dims in Run settings, or with --shape/--dim on the command line.';
    if (count > MAX_TYPED_ARRAY_LENGTH) {
      throw new StrataError(
        'BAD_INPUT',
        `${what}, more values than one array can hold (${MAX_TYPED_ARRAY_LENGTH.toLocaleString('en-US')}). ${fix}`,
      );
    }
    if (total > budget) {
      const others = total - bytes;
      throw new StrataError(
        'BAD_INPUT',
        `${what}${others > 0 ? `, ${formatBytes(total)} with the inputs before it` : ''}: more than the ${formatBytes(budget)} ` +
          `Strata allows for inputs on this machine (${budget === MAX_IPC_INPUT_BYTES ? 'what one message to the worker can carry' : `a quarter of its ${formatBytes(memoryBytes)} memory, as inputs are copied to the worker and activations need room`}). ${fix}`,
      );
    }
  }
}

// The longest typed array this Node can make (2^32 elements on Node 20).
const MAX_TYPED_ARRAY_LENGTH = bufferConstants.MAX_LENGTH;

/** Makes the data of every resolved input. The same seed always gives the same bytes. */
export function makeInputData(
  resolved: readonly ResolvedInput[],
  sources: ProfilePlan['inputs'],
  seed: number,
): InputData[] {
  assertInputsFit(resolved);
  return resolved.map((input) => {
    const type = dataType(input.name, input.elementType as ElementType);
    const count = input.shape.reduce((a, b) => a * b, 1);
    const source = sources[input.name];
    if (source?.kind === 'file') return readInputFile(input, type, source.path);
    const data = allocate(type, count);
    if (source?.kind === 'scalar') fill(data, type, () => source.value);
    else if (source?.kind !== 'zeros') {
      // Each input gets its own stream, keyed by its name, so adding or reordering inputs does not
      // change the others' data.
      const rng = createRng(((source?.kind === 'random' ? source.seed : seed) ^ hashName(input.name)) >>> 0);
      fill(data, type, () => randomValue(type, rng));
    }
    return { name: input.name, type, dims: input.shape, data };
  });
}

// FNV-1a over the UTF-16 code units: a stable 32-bit number per input name.
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function dataType(name: string, elementType: ElementType): DataElementType {
  const supported: DataElementType[] = [
    'float32',
    'float16',
    'float64',
    'int64',
    'int32',
    'int16',
    'int8',
    'uint8',
    'uint16',
    'uint32',
    'uint64',
    'bool',
  ];
  if ((supported as string[]).includes(elementType)) return elementType as DataElementType;
  throw new StrataError(
    'BAD_INPUT',
    `Input "${name}" has element type ${elementType}, which Strata cannot make data for yet. Give it a value with --input ${name}=FILE.npy.`,
  );
}

function allocate(type: DataElementType, count: number): InputData['data'] {
  return new TYPED_ARRAY_OF[type](count);
}

// Random values that make sense for the type: floats in [-1, 1), small non-negative integers (valid
// as indices and token ids for most models), booleans.
function randomValue(type: DataElementType, rng: () => number): number {
  if (type === 'float32' || type === 'float64' || type === 'float16') return rng() * 2 - 1;
  if (type === 'bool') return rng() < 0.5 ? 0 : 1;
  return Math.floor(rng() * 10);
}

function fill(data: InputData['data'], type: DataElementType, value: () => number): void {
  for (let i = 0; i < data.length; i++) {
    const v = value();
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(Math.trunc(v));
    else if (type === 'float16') (data as Uint16Array)[i] = float32ToFloat16(v);
    else if (type === 'bool') (data as Uint8Array)[i] = v ? 1 : 0;
    else (data as Float32Array)[i] = v;
  }
}

function readInputFile(input: ResolvedInput, type: DataElementType, path: string): InputData {
  let values: { data: InputData['data']; dims: number[]; type: DataElementType };
  try {
    const npy = path.toLowerCase().endsWith('.npy');
    const bytes = readBoundedFile(path, inputFileLimit(input, npy));
    values = npy
      ? readNpy(bytes)
      : readJsonInput(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), type);
  } catch (err) {
    if (err instanceof StrataError) throw new StrataError(err.code, `--input ${input.name}: ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    throw new StrataError(
      'BAD_INPUT',
      code === 'ENOENT'
        ? `--input ${input.name}: there is no file at "${path}".`
        : `--input ${input.name}: could not read "${path}": ${(err as Error).message}.`,
    );
  }
  if (values.type !== type) {
    throw new StrataError(
      'BAD_INPUT',
      `--input ${input.name}: "${basename(path)}" holds ${values.type} data but the input is ${type}. Save it as ${type}.`,
    );
  }
  const same = values.dims.length === input.shape.length && values.dims.every((d, i) => d === input.shape[i]);
  if (!same) {
    throw new StrataError(
      'BAD_SHAPE',
      `--input ${input.name}: "${basename(path)}" has shape [${values.dims.join(', ')}] but the input is [${input.shape.join(', ')}]. ` +
        `Match them with --shape ${input.name}=${values.dims.join('x')}.`,
    );
  }
  return { name: input.name, type, dims: input.shape, data: values.data };
}

// The largest input file that can hold the input: its bytes plus an .npy header, or for JSON a
// generous number of characters per value. A file larger than that is not this input's.
function inputFileLimit(input: ResolvedInput, npy: boolean): number {
  const count = input.shape.reduce((a, b) => a * b, 1);
  const bytesPer = ELEMENT_BYTES[input.elementType as DataElementType] ?? 8;
  return npy ? count * bytesPer + 65_536 : count * 64 + 1_048_576;
}

/**
 * A file's bytes, if it is a regular file of at most `limit` bytes. A device (/dev/zero), a FIFO
 * or a huge file is refused before it is read: reading one would never end or exhaust memory.
 */
function readBoundedFile(path: string, limit: number): Uint8Array {
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
  const fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new StrataError(
        'BAD_INPUT',
        `"${basename(path)}" is not a regular file (a device, a pipe or a folder). Give a .npy or .json file.`,
      );
    if (info.size > limit) {
      throw new StrataError(
        'BAD_INPUT',
        `"${basename(path)}" is ${formatBytes(info.size)}, far more than this input holds. Give the input's own .npy or .json file.`,
      );
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A JSON input: nested arrays, or `{ "shape": [...], "data": [...] }`, converted to `type`. */
export function readJsonInput(
  text: string,
  type: DataElementType,
): { data: InputData['data']; dims: number[]; type: DataElementType } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StrataError('BAD_INPUT', `the file is not valid JSON (${(err as Error).message}).`);
  }
  let dims: number[];
  let flat: number[];
  if (json && typeof json === 'object' && !Array.isArray(json) && 'data' in json) {
    const obj = json as { shape?: number[]; data: unknown };
    flat = flatten(obj.data, (dims = []), 0);
    if (obj.shape) dims = obj.shape;
  } else {
    dims = [];
    flat = flatten(json, dims, 0);
  }
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== flat.length)
    throw new StrataError(
      'BAD_INPUT',
      `its shape [${dims.join(', ')}] needs ${expected} values but it has ${flat.length}.`,
    );
  const data = allocate(type, flat.length);
  let i = 0;
  fill(data, type, () => flat[i++]!);
  return { data, dims, type };
}

function flatten(value: unknown, dims: number[], depth: number): number[] {
  if (typeof value === 'number' || typeof value === 'boolean') return [Number(value)];
  if (!Array.isArray(value)) throw new StrataError('BAD_INPUT', 'it must hold numbers in nested arrays.');
  if (dims.length === depth) dims.push(value.length);
  else if (dims[depth] !== value.length)
    throw new StrataError('BAD_INPUT', 'its nested arrays are ragged (rows of different lengths).');
  return value.flatMap((v) => flatten(v, dims, depth + 1));
}
