import { describe, expect, it } from 'vitest';
import { parsePromptLengths } from '../../../../../renderer/views/generate/prompt-lengths.js';

describe('the prompt-lengths field', () => {
  it('reads a list as sorted distinct lengths, spaces allowed', () => {
    expect(parsePromptLengths('8,32')).toEqual([8, 32]);
    expect(parsePromptLengths(' 32, 8 ,8')).toEqual([8, 32]);
    expect(parsePromptLengths('16')).toEqual([16]);
  });

  it('is not a list while a length is missing, zero, fractional or not a number', () => {
    for (const text of ['', '8,', '8,,32', '0', '8,2.5', 'eight', '-4']) expect(parsePromptLengths(text)).toBeNull();
  });
});
