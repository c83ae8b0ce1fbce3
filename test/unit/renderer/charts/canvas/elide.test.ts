import { describe, expect, it } from 'vitest';
import { cutMiddle } from '../../../../../shared/format.js';
import { elideMiddle } from '../../../../../renderer/charts/canvas/elide.js';

const measure = (s: string) => s.length * 6;

describe('labels cut in the middle', () => {
  it('keeps the start and the distinguishing end of a long name', () => {
    const name = 'If_0_then_branch__Inline_0__/decoder/Conv_17';
    const text = elideMiddle(name, 20 * 6, measure)!;
    expect(text).toHaveLength(20);
    expect(text).toContain('…');
    expect(text.startsWith('If_0_th')).toBe(true);
    expect(text.endsWith('Conv_17')).toBe(true);
  });

  it('leaves names that fit alone and gives up when not even "a…b" fits', () => {
    expect(elideMiddle('MatMul', 100, measure)).toBe('MatMul');
    expect(elideMiddle('MatMul', 12, measure)).toBeNull();
    expect(elideMiddle('MatMul', 18, measure)).toBe('M…l');
  });

  it('cuts to exactly the length asked for', () => {
    for (let keep = 1; keep < 12; keep++) expect(cutMiddle('abcdefghijklmnop', keep)).toHaveLength(keep);
  });
});
