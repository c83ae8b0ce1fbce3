// The small pieces issue 11's fixes rest on: atomic writes, repairing onnxruntime's unescaped trace
// strings, terminal-safe text, and reading a WebSocket message as a request.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Ownership of temp files, recorded: the janitor itself is tested in integration/temp-owner.test.ts.
const ownership = vi.hoisted(() => [] as string[]);
vi.mock('../../../electron/core/temp-owner.js', () => ({
  ownTempPath: (path: string) => {
    ownership.push(`own ${path}`);
    return () => ownership.push(`release ${path}`);
  },
}));
import { terminalLine, terminalSafe, withoutLineBreaks } from '../../../electron/cli/terminal.js';
import { writeFileAtomic } from '../../../electron/core/atomic-write.js';
import { repairTraceStrings } from '../../../electron/core/profile/trace.js';
import { parseRequest } from '../../../electron/server.js';
import { clip } from '../../../electron/core/clip.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-helpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('keeps the replaced file’s permissions, and writes through a symlink to its target', async () => {
    const path = join(dir, 'private.onnx');
    writeFileSync(path, 'old', { mode: 0o600 });
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const link = join(dir, 'link.onnx');
    symlinkSync(path, link);
    await writeFileAtomic(link, 'through the link');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('through the link');
  });

  it('replaces a file whole and leaves no temp file', async () => {
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((f) => f.includes('strata-tmp'))).toEqual([]);
  });

  it('leaves the target as it was and removes its temp file when the write fails', async () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true }); // renaming a file over a folder fails
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(existsSync(join(target, 'inside'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('strata-tmp'))).toEqual([]);
  });

  it('owns its temp file while it exists and releases it after (a process killed mid-write leaves none)', async () => {
    const path = join(dir, 'owned.json');
    ownership.length = 0;
    await writeFileAtomic(path, 'data');
    expect(ownership.map((e) => e.replace(/\.[0-9a-f]{12}\.strata-tmp$/, '.X.strata-tmp'))).toEqual([
      `own ${join(dir, '.owned.json.X.strata-tmp')}`,
      `release ${join(dir, '.owned.json.X.strata-tmp')}`,
    ]);
  });
});

describe('repairTraceStrings', () => {
  it('escapes what onnxruntime left raw in node names, and leaves valid JSON alone', () => {
    const raw = '[{"name" :"a"b\\c\nd\u001b_kernel_time","ph" : "X"},\n{"name" :"ok","ph" : "X"}]';
    const events = JSON.parse(repairTraceStrings(raw)) as { name: string }[];
    expect(events.map((e) => e.name)).toEqual(['a"b\\c\nd\u001b_kernel_time', 'ok']);
    const valid = '[{"name": "x", "args": {"k": "v"}}]';
    expect(repairTraceStrings(valid)).toBe(valid);
  });
});

describe('terminal text', () => {
  it('shows escape sequences as text and shortens megabyte words, keeping the sentence', () => {
    expect(terminalSafe('a\u001b]0;title\u0007b')).toBe('a\\u001b]0;title\\u0007b');
    expect(terminalSafe('bidi\u202eevil')).toBe('bidi\\u202eevil');
    const line = terminalLine(`Node "${'n'.repeat(1_000_000)}" failed. Re-export it.`);
    expect(line.length).toBeLessThan(300);
    expect(line).toMatch(/failed\. Re-export it\.$/);
    expect(terminalLine('one\ntwo')).toBe('one two');
    expect(clip('x'.repeat(500)).length).toBeLessThanOrEqual(120);
    expect(withoutLineBreaks({ names: ['a\nstrata: error: b'] })).toEqual({ names: ['a\\nstrata: error: b'] });
    expect(withoutLineBreaks({ name: 'n'.repeat(1_000_000) }).name.length).toBeLessThanOrEqual(300);
    // Strata's own sentences keep the part that answers the question; a name inside them is still bounded.
    const message = `The variant is 1439 µs slower than the baseline at p50; ${'these layers add time; '.repeat(20)}they explain 57% of that difference.`;
    expect(withoutLineBreaks({ diagnostics: [{ message }] }).diagnostics[0]!.message).toBe(message);
    expect(withoutLineBreaks({ notes: ['x'.repeat(1_000_000)] }).notes[0]!.length).toBeLessThanOrEqual(4000);
  });
});

describe('parseRequest', () => {
  const parse = (text: string) => parseRequest(Buffer.from(text), false);
  it('answers anything but { id, channel, args } with an error carrying the id when it has one', () => {
    for (const text of ['null', '42', '[]', '"x"', '{', '{}', '{"id": {}}']) {
      const r = parse(text);
      expect('error' in r && r.id === null, text).toBe(true);
    }
    const r = parse('{"id": 7, "channel": 5}');
    expect('error' in r && r.id === 7).toBe(true);
    expect('error' in parseRequest(Buffer.from('{}'), true)).toBe(true);
    expect(parse('{"id": 1, "channel": "app:info"}')).toEqual({ id: 1, channel: 'app:info', args: [] });
  });
});
