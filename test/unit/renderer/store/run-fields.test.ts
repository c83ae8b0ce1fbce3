import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../../../shared/model.js';
import { batchDims } from '../../../../renderer/store/plan-defaults.js';
import { parseShape } from '../../../../renderer/views/shell/run-fields.js';

const input = (name: string, dims: TensorInfo['dims']): TensorInfo =>
  ({ name, elementType: 'float32', dims }) as TensorInfo;

describe('batchDims', () => {
  it('starts batch dims at 1 and leaves every other symbolic dim to the user', () => {
    // Silero VAD: batch by name (also second in state), sequence has no default.
    expect(batchDims([input('input', ['batch', 'sequence']), input('state', [2, 'batch', 128])])).toEqual({ batch: 1 });
    // PP-OCR: the first dim of a rank-4 image is a batch; height and width are not.
    expect(
      batchDims([input('x', ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'])]),
    ).toEqual({ 'p2o.DynamicDimension.0': 1 });
    // A symbol first in one input and inner in another is not a batch.
    expect(batchDims([input('a', ['n_tokens', 8]), input('b', [1, 'n_tokens'])])).toEqual({});
  });
});

describe('parseShape', () => {
  const v6 = input('input', [null, null]);
  it('asks for a shape whose unnamed inner dims have no default', () => {
    expect(parseShape('', v6)).toEqual({
      ok: false,
      problem: 'Set the shape of input: its dim 1 has no name and no default that fits.',
    });
    expect(parseShape('', input('x', [null, 3, 224, 224]))).toEqual({ ok: true, canonical: '' });
  });
  it('says what is wrong with a shape, without claiming something else runs', () => {
    expect(parseShape('axb', v6)).toEqual({ ok: false, problem: '"axb" is not a shape like 1x3x224x224.' });
    expect(parseShape('1x3x4', v6)).toEqual({ ok: false, problem: 'input has 2 dims, not 3.' });
    expect(parseShape('2x1x64', input('state', [2, null, 128]))).toEqual({
      ok: false,
      problem: 'Dim 2 of state is fixed at 128.',
    });
    expect(parseShape('1 x 512', v6)).toEqual({ ok: true, canonical: '1x512' });
  });
});
