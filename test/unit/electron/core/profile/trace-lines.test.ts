import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../../../../electron/core/profile/layer-stats.js';
import { parseOrtTrace, readOrtTrace } from '../../../../../electron/core/profile/trace.js';
import { REPO } from '../../../../fixtures/paths.js';

// The recorded traces are stored compact; onnxruntime writes one event per line with its own
// spacing, which is what the streaming reader follows. The same events laid out that way must read
// the same as the whole-file parse, repeated kernel calls (read without parsing their args) included.
const dir = mkdtempSync(join(tmpdir(), 'strata-trace-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Raw = { cat: string; pid: number; tid: number; dur: number; ts: number; ph: string; name: string; args: object };

/** An event as onnxruntime's profiler writes its line. */
function ortLine(e: Raw, name = JSON.stringify(e.name)): string {
  const args = Object.entries(e.args)
    .map(([k, v]) => `"${k}" : ${JSON.stringify(v)}`)
    .join(',');
  return `{"cat" : "${e.cat}","pid" :${e.pid},"tid" :${e.tid},"dur" :${e.dur},"ts" :${e.ts},"ph" : "${e.ph}","name" :${name},"args" : {${args}}}`;
}

function writeOrtLayout(file: string, events: readonly Raw[], lines = events.map((e) => ortLine(e))): string {
  const path = join(dir, file);
  writeFileSync(path, `[\n${lines.join(',\n')}\n]\n`);
  return path;
}

const recorded = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'traces', 'silero-if.json'), 'utf8')) as Raw[];

describe('readOrtTrace on onnxruntime’s line layout', () => {
  it('reads the same events as the whole-file parse, and the analysis agrees', async () => {
    const events = await readOrtTrace(writeOrtLayout('lines.json', recorded));
    expect(events).toEqual(parseOrtTrace(recorded));
    expect(events.filter((e) => e.cat === 'Node').length).toBeGreaterThan(100);
    expect(analyzeTrace(events, { warmupRuns: 1 })).toEqual(analyzeTrace(parseOrtTrace(recorded), { warmupRuns: 1 }));
  });

  it('repairs a raw quote in a node name, and salvages a trace cut short', async () => {
    const kernel = recorded.find((e) => e.name.endsWith('_kernel_time'))!;
    const quoted = { ...kernel, name: 'a"b_kernel_time' };
    const lines = [...recorded.slice(0, 5).map((e) => ortLine(e)), ortLine(quoted, '"a"b_kernel_time"')];
    const events = await readOrtTrace(writeOrtLayout('quote.json', [], lines));
    expect(events.map((e) => e.name)).toEqual([...recorded.slice(0, 5).map((e) => e.name), 'a"b_kernel_time']);

    const whole = `[\n${recorded
      .slice(0, 6)
      .map((e) => ortLine(e))
      .join(',\n')}`;
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, whole.slice(0, whole.length - 20));
    expect((await readOrtTrace(cut)).map((e) => e.name)).toEqual(recorded.slice(0, 5).map((e) => e.name));
  });

  it('reads a name with a raw line break by reading the file whole', async () => {
    const kernel = recorded.find((e) => e.name.endsWith('_kernel_time'))!;
    const lines = [ortLine(recorded[0]!), ortLine({ ...kernel, name: 'x\ny_kernel_time' }, '"x\ny_kernel_time"')];
    const events = await readOrtTrace(writeOrtLayout('break.json', [], lines));
    expect(events.map((e) => e.name)).toEqual([recorded[0]!.name, 'x\ny_kernel_time']);
  });
});
