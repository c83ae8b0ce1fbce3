import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { configDir } from '../../../electron/core/config-dir.js';

describe('the test run', () => {
  it('keeps HOME and the config folder in a temporary folder, never the user’s own', () => {
    expect(process.env.HOME?.startsWith(tmpdir())).toBe(true);
    expect(configDir().startsWith(process.env.HOME!)).toBe(true);
  });
});
