import { describe, expect, it } from 'vitest';
import { hasDecoderNames } from '../../../shared/decoder-names.js';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('a decoder told by its input and output names', () => {
  it('is an Optimum export with its KV cache', () => {
    expect(
      hasDecoderNames({
        inputs: named(
          'input_ids',
          'attention_mask',
          'position_ids',
          'past_key_values.0.key',
          'past_key_values.0.value',
        ),
        outputs: named('logits', 'present.0.key', 'present.0.value'),
      }),
    ).toBe(true);
  });

  it("is onnxruntime-genai's past.N / present_key_values.N naming too", () => {
    expect(
      hasDecoderNames({
        inputs: named('input_ids', 'past.0.key', 'past.0.value'),
        outputs: named('logits', 'present_key_values.0.key', 'present_key_values.0.value'),
      }),
    ).toBe(true);
  });

  it('is not a decoder exported without its cache, nor a model with other names', () => {
    expect(hasDecoderNames({ inputs: named('input_ids', 'attention_mask'), outputs: named('logits') })).toBe(false);
    expect(
      hasDecoderNames({
        inputs: named('input_ids', 'past_key_values.0.key'),
        outputs: named('last_hidden_state', 'present.0.key'),
      }),
    ).toBe(false);
    expect(hasDecoderNames({ inputs: named('x'), outputs: named('y') })).toBe(false);
    // A name that merely contains the pattern is not one.
    expect(
      hasDecoderNames({
        inputs: named('input_ids', 'my_past_key_values.0.key'),
        outputs: named('logits', 'present.0.key'),
      }),
    ).toBe(false);
  });
});
