// `strata inspect` on big models (issue 12): builds a 1 GiB model (16 float MatMuls of 4096×4096,
// weights inline) and a 100,000-node chain with the project's ONNX writer, runs the built CLI's
// `strata inspect MODEL --json` on each in a fresh process, and prints the command's own time, the
// process's wall time and its peak RSS.
// Goal: the 1 GiB model inspected in under 1 s with a peak RSS under 200 MiB.
//   npm run build:node && npx tsx bench/inspect.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../electron/core/model/graph-builder.js';
import { DataType } from '../electron/core/model/onnx-proto.js';
import { buildAddChain } from '../test/support/synthetic-models.js';

const GOAL_MS = 1000;
const GOAL_RSS_MIB = 200;
const cli = join(import.meta.dirname, '..', 'bin', 'strata.js');
if (!existsSync(join(import.meta.dirname, '..', 'dist', 'electron', 'cli.js'))) {
  console.log('Build first: npm run build:node (the bench runs the built CLI, as a user does).');
  process.exit(1);
}

/** 16 MatMuls of 4096×4096 float32 weights: 1 GiB of inline raw_data. */
function gibModel(): Uint8Array {
  const side = 4096;
  const weights = new Uint8Array(side * side * 4).fill(0x3c); // one payload, shared by every layer
  const g = new GraphBuilder('gib');
  let x = g.input('x', [1, side]);
  for (let i = 0; i < 16; i++) {
    const w = g.rawInit(`layer${i}.weight`, [side, side], DataType.FLOAT, weights);
    x = g.node('MatMul', [x, w], i === 15 ? 'y' : `/layer${i}/MatMul_out`, { name: `/layer${i}/MatMul` });
  }
  g.output('y', [1, side]);
  return g.toBytes();
}

// Prints the process's own peak RSS (KiB) on exit, to stderr. A child's getrusage peak starts at
// its parent's (this bench holds the 1 GiB model), so the kernel's high-water mark is reset first.
const REPORT_RSS =
  'data:text/javascript,' +
  encodeURIComponent(
    `import { readFileSync, writeFileSync } from 'node:fs';
     try { writeFileSync('/proc/self/clear_refs', '5'); } catch {}
     process.on('exit', () => {
       let kib = process.resourceUsage().maxRSS;
       try { kib = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
       process.stderr.write('maxrss=' + kib + '\\n');
     });`,
  );

const dir = mkdtempSync(join(tmpdir(), 'strata-inspect-bench-'));
let missed = false;
try {
  for (const [label, build] of [
    ['1 GiB model (16 MatMul, inline weights)', gibModel],
    ['100,000-node chain', () => buildAddChain(100_000).bytes],
  ] as const) {
    const path = join(dir, 'model.onnx');
    const bytes = build();
    writeFileSync(path, bytes);
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ['--import', REPORT_RSS, cli, 'inspect', path, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    const wallMs = performance.now() - t0;
    if (run.status !== 0) throw new Error(`strata inspect failed: ${run.stderr}`);
    const result = JSON.parse(run.stdout) as {
      timeMs: number;
      bytesRead: number;
      summary: { nodeCount: number; parameterCount: number };
    };
    const rssMiB = Number(/maxrss=(\d+)/.exec(run.stderr)?.[1]) / 1024;
    console.log(
      `${label}: ${(bytes.length / 2 ** 20).toFixed(0)} MiB, ${result.summary.nodeCount.toLocaleString('en-US')} nodes, ` +
        `${result.summary.parameterCount.toLocaleString('en-US')} parameters; inspect ${result.timeMs.toFixed(0)} ms ` +
        `(process ${wallMs.toFixed(0)} ms), read ${(result.bytesRead / 2 ** 20).toFixed(1)} MiB, peak RSS ${rssMiB.toFixed(0)} MiB`,
    );
    if (bytes.length >= 2 ** 30 && (result.timeMs > GOAL_MS || rssMiB > GOAL_RSS_MIB)) {
      console.log(
        `GOAL MISSED: the 1 GiB model took ${result.timeMs.toFixed(0)} ms and ${rssMiB.toFixed(0)} MiB (goal: under ${GOAL_MS} ms and ${GOAL_RSS_MIB} MiB).`,
      );
      missed = true;
    }
    rmSync(path);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (missed) process.exitCode = 1;
