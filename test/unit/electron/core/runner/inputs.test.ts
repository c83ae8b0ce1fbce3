// Input resolution and input data: shapes from --shape/--dim, defaults with notes, errors that name
// the input, seeded determinism, and .npy/.json files (the .npy bytes below were written by numpy 2.4's
// np.save, so the parser is checked against the real format rather than against our own writer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataErrorOf } from '../../../../fixtures/errors.js';
import type { TensorInfo } from '../../../../../shared/model.js';
import { defaultPlan, type ProfilePlan } from '../../../../../shared/plan.js';
import type { ResolvedInput } from '../../../../../shared/report.js';
import {
  assertInputsFit,
  describeDefaultedDims,
  makeInputData,
  readJsonInput,
  resolveInputs,
} from '../../../../../electron/core/runner/inputs.js';
import { readNpy, writeNpy } from '../../../../../electron/core/runner/npy.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-inputs-'));

// Silero VAD's inputs as the model summary reports them, and the OCR classifier's.
const silero: TensorInfo[] = [
  { name: 'input', elementType: 'float32', dims: [null, null] },
  { name: 'state', elementType: 'float32', dims: [2, null, 128] },
  { name: 'sr', elementType: 'int64', dims: [] },
];
const ocr: TensorInfo[] = [{ name: 'x', elementType: 'float32', dims: ['batch', 3, 'height', 'width'] }];

function plan(overrides: Partial<ProfilePlan> = {}): ProfilePlan {
  return { ...defaultPlan(), ...overrides };
}

describe('resolveInputs', () => {
  it('takes a whole shape from --shape and named dims from --dim', () => {
    const { resolved, shapes, notes } = resolveInputs(ocr, plan({ shapes: { x: [2, 3, 48, 192] } }));
    expect(shapes).toEqual({ x: [2, 3, 48, 192] });
    expect(resolved[0]).toMatchObject({
      name: 'x',
      elementType: 'float32',
      shape: [2, 3, 48, 192],
      source: 'random(seed=42)',
    });
    expect(notes).toEqual([]);

    const byDims = resolveInputs(ocr, plan({ dims: { batch: 4, height: 32, width: 100 } }));
    expect(byDims.shapes.x).toEqual([4, 3, 32, 100]);
    expect(byDims.notes).toEqual([]);
  });

  it('defaults every leftover symbolic dim to 1 and says so, once per dim', () => {
    const { shapes, notes } = resolveInputs(ocr, plan({ dims: { height: 48 } }));
    expect(shapes.x).toEqual([1, 3, 48, 1]);
    expect(notes).toEqual([
      "Input 'x' dim 0 ('batch') is symbolic; using 1. Set it in Run settings, or with --dim batch=N or --shape x=Nx3xNxN on the command line.",
      "Input 'x' dim 3 ('width') is symbolic; using 1. Set it in Run settings, or with --dim width=N or --shape x=Nx3xNxN on the command line.",
    ]);
  });

  it('pins nothing when every dim is fixed already, so the worker loads the file as it is', () => {
    const fixed: TensorInfo[] = [
      { name: 'hidden', elementType: 'float32', dims: [1, 64, 64] },
      { name: 'sr', elementType: 'int64', dims: [] },
    ];
    expect(resolveInputs(fixed, plan()).shapes).toEqual({});
    // A --shape that restates the fixed dims changes nothing either.
    expect(resolveInputs(fixed, plan({ shapes: { hidden: [1, 64, 64] } })).shapes).toEqual({});
    // An input the model gives no shape at all is pinned to the one --shape gives.
    expect(
      resolveInputs([{ name: 'x', elementType: 'float32', dims: null }], plan({ shapes: { x: [2, 3] } })).shapes,
    ).toEqual({ x: [2, 3] });
  });

  it('lists the dims it chose, for a failure to name them with the way to set them', () => {
    const { defaulted } = resolveInputs(
      [...silero.slice(0, 2), { name: 'len', elementType: 'int64', dims: ['batch'] }],
      plan(),
    );
    expect(defaulted).toEqual([
      { input: 'input', index: 0, symbol: null },
      { input: 'input', index: 1, symbol: null },
      { input: 'state', index: 1, symbol: null },
      { input: 'len', index: 0, symbol: 'batch' },
    ]);
    expect(describeDefaultedDims(defaulted, [...silero, { name: 'len', elementType: 'int64', dims: ['batch'] }])).toBe(
      "Strata set 4 dims the model leaves open to 1: 'input' dim 0 and dim 1, 'state' dim 1, 'len' dim 0 ('batch'). If that is too small for this model, " +
        'set them in Run settings, or with --dim batch=N --shape input=NxN --shape state=2xNx128 on the command line.',
    );
    expect(describeDefaultedDims(resolveInputs(ocr, plan({ shapes: { x: [1, 3, 48, 192] } })).defaulted, ocr)).toBe('');
  });

  it('keeps fixed dims, resolves unnamed ones to 1, and leaves a rank-0 input empty', () => {
    const { resolved, shapes, notes } = resolveInputs(silero, plan({ shapes: { input: [1, 512] } }));
    expect(resolved.map((r) => r.shape)).toEqual([[1, 512], [2, 1, 128], []]);
    // Only inputs with an open dim are pinned in the model; sr has nothing to pin.
    expect(shapes).toEqual({ input: [1, 512], state: [2, 1, 128] });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toBe(
      "Input 'state' dim 1 is symbolic; using 1. Set it in Run settings, or with --shape state=2xNx128 on the command line.",
    );
  });

  it('describes where each input comes from', () => {
    const { resolved } = resolveInputs(
      silero,
      plan({
        seed: 7,
        inputs: {
          input: { kind: 'zeros' },
          sr: { kind: 'scalar', value: 16000 },
          state: { kind: 'file', path: '/data/h0.npy' },
        },
      }),
    );
    expect(resolved.map((r) => r.source)).toEqual(['zeros', 'file h0.npy', 'value 16000']);
  });

  it('refuses a shape of the wrong rank, naming the input and both shapes', async () => {
    const err = await strataErrorOf(() => resolveInputs(ocr, plan({ shapes: { x: [1, 3, 224] } })));
    expect(err.code).toBe('BAD_SHAPE');
    expect(err.message).toBe('Input "x" has 4 dims [batch, 3, height, width] but --shape gives 3: [1, 3, 224].');
  });

  it('refuses a shape that contradicts a fixed dim', async () => {
    const err = await strataErrorOf(() => resolveInputs(ocr, plan({ shapes: { x: [1, 1, 48, 192] } })));
    expect(err.code).toBe('BAD_SHAPE');
    expect(err.message).toBe(
      'Input "x" dim 1 is fixed at 3 in the model ([batch, 3, height, width]), but --shape sets it to 1.',
    );
  });

  it('lists the valid names when --shape, --dim or --input names something the model lacks', async () => {
    const shape = await strataErrorOf(() => resolveInputs(silero, plan({ shapes: { audio: [1, 512] } })));
    expect(shape.code).toBe('BAD_SHAPE');
    expect(shape.message).toBe(
      '--shape names "audio", but the model has no input by that name. Its inputs are: "input", "state", "sr".',
    );

    const dim = await strataErrorOf(() => resolveInputs(ocr, plan({ dims: { batchsize: 2 } })));
    expect(dim.code).toBe('BAD_SHAPE');
    expect(dim.message).toBe('No input has a dim named "batchsize". Named dims: "batch", "height", "width".');

    const noNames = await strataErrorOf(() => resolveInputs(silero, plan({ dims: { batch: 2 } })));
    expect(noNames.message).toMatch(/has no named symbolic dims; use --shape\.$/);

    const input = await strataErrorOf(() => resolveInputs(silero, plan({ inputs: { audio: { kind: 'zeros' } } })));
    expect(input.code).toBe('BAD_INPUT');
    expect(input.message).toContain('"audio"');
  });

  it('refuses sizes that are not positive whole numbers', async () => {
    expect((await strataErrorOf(() => resolveInputs(ocr, plan({ shapes: { x: [1, 3, 0, 8] } })))).code).toBe(
      'BAD_SHAPE',
    );
    expect((await strataErrorOf(() => resolveInputs(ocr, plan({ dims: { batch: 1.5 } })))).message).toBe(
      '--dim batch=1.5 must be a positive whole number.',
    );
  });

  it('asks for --shape when the model does not even give a rank', async () => {
    const err = await strataErrorOf(() => resolveInputs([{ name: 'blob', elementType: 'uint8', dims: null }], plan()));
    expect(err.code).toBe('BAD_SHAPE');
    expect(err.message).toMatch(/"blob" has no shape in the model\. Give one with --shape blob=/);
  });
});

function resolvedOf(name: string, elementType: string, shape: number[]): ResolvedInput {
  return { name, elementType, shape, source: '' };
}

describe('makeInputData', () => {
  const all: ResolvedInput[] = [
    resolvedOf('f32', 'float32', [4, 256]),
    resolvedOf('f64', 'float64', [64]),
    resolvedOf('f16', 'float16', [64]),
    resolvedOf('i64', 'int64', [64]),
    resolvedOf('i32', 'int32', [64]),
    resolvedOf('i8', 'int8', [64]),
    resolvedOf('u8', 'uint8', [64]),
    resolvedOf('flag', 'bool', [64]),
  ];

  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = makeInputData(all, {}, 42);
    const b = makeInputData(all, {}, 42);
    const c = makeInputData(all, {}, 43);
    for (let i = 0; i < all.length; i++) {
      expect(Buffer.from(a[i]!.data.buffer)).toEqual(Buffer.from(b[i]!.data.buffer));
      expect(Buffer.from(a[i]!.data.buffer)).not.toEqual(Buffer.from(c[i]!.data.buffer));
    }
  });

  it("keeps an input's data when another input is added before it", () => {
    const alone = makeInputData([all[0]!], {}, 42)[0]!;
    const second = makeInputData([all[1]!, all[0]!], {}, 42)[1]!;
    expect(second.data).toEqual(alone.data);
  });

  it('fits random values to each element type', () => {
    const byName = Object.fromEntries(makeInputData(all, {}, 1).map((d) => [d.name, d]));
    const f32 = byName.f32!.data as Float32Array;
    expect(byName.f32!.type).toBe('float32');
    expect(f32).toBeInstanceOf(Float32Array);
    expect(f32.length).toBe(1024);
    expect(Math.min(...f32)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...f32)).toBeLessThan(1);
    expect(new Set(f32).size).toBeGreaterThan(1000); // not a constant
    expect(byName.f64!.data).toBeInstanceOf(Float64Array);
    // float16 travels as raw bits: every value is a finite half in [-1, 1).
    const halves = byName.f16!.data as Uint16Array;
    expect(halves).toBeInstanceOf(Uint16Array);
    for (const h of halves) expect(h & 0x7fff).toBeLessThanOrEqual(0x3c00);
    const ints = [...(byName.i64!.data as BigInt64Array)].map(Number);
    expect(Math.min(...ints)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ints)).toBeLessThan(10);
    expect(new Set(ints).size).toBeGreaterThan(3);
    for (const name of ['i32', 'i8', 'u8'])
      for (const v of byName[name]!.data as Int32Array) expect(v >= 0 && v < 10).toBe(true);
    const flags = [...(byName.flag!.data as Uint8Array)];
    expect(new Set(flags)).toEqual(new Set([0, 1]));
  });

  it('makes zeros, and a scalar for a rank-0 input or a whole tensor', () => {
    const inputs = [
      resolvedOf('sr', 'int64', []),
      resolvedOf('z', 'float32', [3, 5]),
      resolvedOf('fill', 'float32', [2, 2]),
    ];
    const [sr, z, fill] = makeInputData(
      inputs,
      { sr: { kind: 'scalar', value: 16000 }, z: { kind: 'zeros' }, fill: { kind: 'scalar', value: 0.5 } },
      42,
    );
    expect(sr).toEqual({ name: 'sr', type: 'int64', dims: [], data: BigInt64Array.from([16000n]) });
    expect(z!.data).toEqual(new Float32Array(15));
    expect(fill!.data).toEqual(Float32Array.from([0.5, 0.5, 0.5, 0.5]));
  });

  it('uses a per-input seed when the input says random(seed)', () => {
    const input = [resolvedOf('x', 'float32', [16])];
    const own = makeInputData(input, { x: { kind: 'random', seed: 5 } }, 42)[0]!;
    expect(own.data).toEqual(makeInputData(input, {}, 5)[0]!.data);
  });

  it('refuses an input too big to make before allocating it, naming its shape, size and the fix', async () => {
    // --shape x=100000x3x480x1920: more values than one typed array can hold.
    const huge = await strataErrorOf(() => makeInputData([resolvedOf('x', 'float32', [100000, 3, 480, 1920])], {}, 1));
    expect(huge.code).toBe('BAD_INPUT');
    expect(huge.message).toMatch(
      /^Input "x" at \[100000, 3, 480, 1920\] float32 takes 1\.01 TiB \(276,480,000,000 values\), more values than one array can hold/,
    );
    expect(huge.message).toMatch(/set its dims in Run settings, or with --shape\/--dim on the command line\.$/);
    // Within the engine's limit but over a quarter of an 8 GiB machine: counted over all inputs.
    const inputs = [resolvedOf('a', 'float32', [2 ** 28]), resolvedOf('b', 'int64', [2 ** 28])];
    const over = await strataErrorOf(() => assertInputsFit(inputs, 8 * 2 ** 30));
    // 2 GiB would be a quarter of the memory, but one message to the worker carries 1 GiB at most.
    expect(over.message).toMatch(
      /^Input "b" at \[268435456\] int64 takes 2\.00 GiB \(268,435,456 values\), 3\.00 GiB with the inputs before it: more than the 1\.00 GiB Strata allows for inputs on this machine \(what one message to the worker can carry\)/,
    );
    expect(() => assertInputsFit(inputs.slice(0, 1), 8 * 2 ** 30)).not.toThrow();
    const small = await strataErrorOf(() => assertInputsFit(inputs.slice(0, 1), 2 * 2 ** 30));
    expect(small.message).toMatch(
      /more than the 512 MiB Strata allows for inputs on this machine \(a quarter of its 2\.00 GiB memory/,
    );
  });

  it('refuses an element type it cannot make data for', async () => {
    const err = await strataErrorOf(() => makeInputData([resolvedOf('s', 'string', [1])], {}, 1));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/"s" has element type string/);
  });
});

// Written by numpy: np.save of each array named in the key.
const NUMPY = {
  f4_2x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAAEAAAEBAAACQQAAAwMA=',
  i8_3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqAPgAAAAAAAP7/////////BwAAAAAAAAA=',
  b1_2x2:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAB',
  u1_4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/wcB',
  f2_2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADA',
  f8_scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAKQA==',
  i4_2x1:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAgAAAA==',
  fortran_f4_2x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  bigendian_f4_2:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/gAAAQAAAAA==',
};
const npy = (key: keyof typeof NUMPY) => new Uint8Array(Buffer.from(NUMPY[key], 'base64'));

describe('readNpy', () => {
  it('reads every dtype numpy writes for model inputs', () => {
    expect(readNpy(npy('f4_2x3'))).toEqual({
      type: 'float32',
      dims: [2, 3],
      data: Float32Array.from([0.5, -1.25, 2, 3, 4.5, -6]),
    });
    expect(readNpy(npy('i8_3'))).toEqual({ type: 'int64', dims: [3], data: BigInt64Array.from([16000n, -2n, 7n]) });
    expect(readNpy(npy('b1_2x2'))).toEqual({ type: 'bool', dims: [2, 2], data: Uint8Array.from([1, 0, 0, 1]) });
    expect(readNpy(npy('u1_4'))).toEqual({ type: 'uint8', dims: [4], data: Uint8Array.from([0, 255, 7, 1]) });
    expect(readNpy(npy('f2_2'))).toEqual({ type: 'float16', dims: [2], data: Uint16Array.from([0x3c00, 0xc000]) }); // 1.0, -2.0
    expect(readNpy(npy('f8_scalar'))).toEqual({ type: 'float64', dims: [], data: Float64Array.from([3.25]) });
    expect(readNpy(npy('i4_2x1'))).toEqual({ type: 'int32', dims: [2, 1], data: Int32Array.from([1, 2]) });
  });

  it('refuses Fortran order, big-endian data, truncation and non-npy bytes with the reason', async () => {
    expect((await strataErrorOf(() => readNpy(npy('fortran_f4_2x3')))).message).toMatch(/Fortran order/);
    expect((await strataErrorOf(() => readNpy(npy('bigendian_f4_2')))).message).toMatch(/big-endian/);
    const truncated = npy('f4_2x3').subarray(0, 128 + 10);
    const err = await strataErrorOf(() => readNpy(truncated));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe('it is truncated: shape [2, 3] needs 24 bytes of data but it has 10.');
    expect((await strataErrorOf(() => readNpy(new TextEncoder().encode('{"data": [1, 2, 3]}')))).message).toMatch(
      /not a NumPy \.npy file/,
    );
  });

  it('writes what numpy writes', () => {
    expect(Buffer.from(writeNpy(Float32Array.from([0.5, -1.25, 2, 3, 4.5, -6]), [2, 3], 'float32'))).toEqual(
      Buffer.from(npy('f4_2x3')),
    );
    expect(Buffer.from(writeNpy(BigInt64Array.from([16000n, -2n, 7n]), [3], 'int64'))).toEqual(
      Buffer.from(npy('i8_3')),
    );
    expect(Buffer.from(writeNpy(Float64Array.from([3.25]), [], 'float64'))).toEqual(Buffer.from(npy('f8_scalar')));
  });
});

describe('input files', () => {
  const state = resolvedOf('state', 'float32', [2, 3]);

  it('feeds an .npy file whose shape and dtype match the input', () => {
    const path = join(dir, 'state.npy');
    writeFileSync(path, npy('f4_2x3'));
    const [data] = makeInputData([state], { state: { kind: 'file', path } }, 42);
    expect(data).toEqual({
      name: 'state',
      type: 'float32',
      dims: [2, 3],
      data: Float32Array.from([0.5, -1.25, 2, 3, 4.5, -6]),
    });
  });

  it('names the input, the file and both sides when an .npy file does not fit', async () => {
    const path = join(dir, 'ids.npy');
    writeFileSync(path, npy('i8_3'));
    const dtype = await strataErrorOf(() => makeInputData([state], { state: { kind: 'file', path } }, 42));
    expect(dtype.code).toBe('BAD_INPUT');
    expect(dtype.message).toBe(
      '--input state: "ids.npy" holds int64 data but the input is float32. Save it as float32.',
    );

    const wide = join(dir, 'wide.npy');
    writeFileSync(wide, npy('f4_2x3'));
    const shape = await strataErrorOf(() =>
      makeInputData([resolvedOf('state', 'float32', [3, 2])], { state: { kind: 'file', path: wide } }, 42),
    );
    expect(shape.code).toBe('BAD_SHAPE');
    expect(shape.message).toBe(
      '--input state: "wide.npy" has shape [2, 3] but the input is [3, 2]. Match them with --shape state=2x3.',
    );

    const missing = await strataErrorOf(() =>
      makeInputData([state], { state: { kind: 'file', path: join(dir, 'nope.npy') } }, 42),
    );
    expect(missing.code).toBe('BAD_INPUT');
    expect(missing.message).toMatch(/there is no file at ".*nope\.npy"\.$/);
  });

  it('reads JSON as nested arrays or as {shape, data}, converted to the input type', () => {
    const nested = join(dir, 'nested.json');
    writeFileSync(
      nested,
      JSON.stringify([
        [0.5, -1.25, 2],
        [3, 4.5, -6],
      ]),
    );
    expect(makeInputData([state], { state: { kind: 'file', path: nested } }, 42)[0]!.data).toEqual(
      Float32Array.from([0.5, -1.25, 2, 3, 4.5, -6]),
    );

    const flat = join(dir, 'flat.json');
    writeFileSync(flat, JSON.stringify({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }));
    expect(makeInputData([state], { state: { kind: 'file', path: flat } }, 42)[0]!.data).toEqual(
      Float32Array.from([1, 2, 3, 4, 5, 6]),
    );

    expect(readJsonInput('[16000]', 'int64')).toEqual({ type: 'int64', dims: [1], data: BigInt64Array.from([16000n]) });
    expect(readJsonInput('16000', 'int64')).toEqual({ type: 'int64', dims: [], data: BigInt64Array.from([16000n]) });
  });

  it('refuses ragged, miscounted or malformed JSON', async () => {
    expect((await strataErrorOf(() => readJsonInput('[[1, 2], [3]]', 'float32'))).message).toMatch(/ragged/);
    expect((await strataErrorOf(() => readJsonInput('{"shape": [2, 2], "data": [1, 2, 3]}', 'float32'))).message).toBe(
      'its shape [2, 2] needs 4 values but it has 3.',
    );
    expect((await strataErrorOf(() => readJsonInput('[1, 2', 'float32'))).code).toBe('BAD_INPUT');
    expect((await strataErrorOf(() => readJsonInput('["a"]', 'float32'))).message).toMatch(/numbers in nested arrays/);
  });
});
