import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../electron/cli.js';

const COMMANDS = [
  'profile',
  'inspect',
  'eps',
  'ceilings',
  'report',
  'serve',
  'quantize',
  'convert',
  'prune',
  'compare',
];

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const code = await main(argv);
  return { code, out };
}

afterEach(() => vi.restoreAllMocks());

describe('strata COMMAND --help', () => {
  it.each(COMMANDS)('%s --help prints its usage and exits 0', async (command) => {
    const { code, out } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: strata ${command}\\b`));
    expect((await run([command, '-h'])).out).toBe(out);
  });

  it('lists every command with help in the top-level help, and prints the version', async () => {
    const { out } = await run(['--help']);
    for (const command of COMMANDS) expect(out).toContain(`strata ${command}`);
    expect((await run(['--version'])).out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
