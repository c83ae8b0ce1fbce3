import { describe, expect, it } from 'vitest';
import { parseGenerateArgs } from '../../../../electron/cli/generate-args.js';

describe('parseGenerateArgs', () => {
  it('reads the sweep, the draft and the outputs', () => {
    const a = parseGenerateArgs([
      'm.onnx',
      '--prompt-lengths',
      '256,16,64',
      '--new-tokens',
      '32',
      '--draft',
      'd.onnx',
      '--gamma',
      '2-4',
      '--json',
      'out.json',
      '--threads',
      '2',
    ]);
    expect(a.settings.promptLengths).toEqual([16, 64, 256]);
    expect(a.settings.newTokens).toBe(32);
    expect(a.settings.context).toBe(288);
    expect(a.settings.gammas).toEqual([2, 3, 4]);
    expect(a.draftPath).toMatch(/d\.onnx$/);
    expect(a.outputs.json).toMatch(/out\.json$/);
    expect(a.plan.intraOpThreads).toBe(2);
  });

  it('reads a second decoder to compare after --vs', () => {
    const a = parseGenerateArgs(['m.onnx', '--vs', 'int8.onnx', '--json', 'c.json']);
    expect(a.vsPath).toMatch(/int8\.onnx$/);
    expect(a.draftPath).toBeUndefined();
  });

  it('defaults to 16,64,256 prompts, 64 new tokens and gammas 1-8', () => {
    const a = parseGenerateArgs(['m.onnx']);
    expect(a.settings.promptLengths).toEqual([16, 64, 256]);
    expect(a.settings.newTokens).toBe(64);
    expect(a.settings.gammas).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it.each([
    [[], /No model given/],
    [['a.onnx', 'b.onnx'], /Expected one model, got 2.*A draft goes after --draft/],
    [['m.onnx', '--prompt-lengths', '16,,64'], /--prompt-lengths "16,,64" must be token counts/],
    [['m.onnx', '--prompt-lengths', '0'], /must be token counts/],
    [['m.onnx', '--new-tokens', '1'], /--new-tokens "1" must be a whole number of at least 2/],
    [['m.onnx', '--draft', 'd.onnx', '--gamma', '0-3'], /--gamma "0-3" must be a draft length or range from 1 to 32/],
    [['m.onnx', '--gamma', '4'], /--gamma is for the speculative measurements and needs a draft model/],
    [['m.onnx', '--prompt', 'p.json'], /--prompt is for the speculative measurements/],
    [['m.onnx', '--prompt-lengths', '64', '--context', '32'], /--context 32 must be longer than the shortest prompt/],
    [['m.onnx', '--runs', '3'], /Unknown option '--runs'/],
    [['m.onnx', '--vs', 'b.onnx', '--draft', 'd.onnx'], /--vs and --draft are two different runs/],
    [['a.onnx', 'b.onnx'], /a second decoder to compare after --vs/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseGenerateArgs(argv as string[])).toThrow(message);
  });
});
