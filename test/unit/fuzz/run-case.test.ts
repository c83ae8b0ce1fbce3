// The fuzz classifier is what "0 unclear" means: anything it lets through as clear reaches users.
// It reads both streams, because Node writes some of its internals (a crashed worker's stack
// relayed by the CLI, the "Node.js vNN" trailer) wherever the failing code printed them.
import { describe, expect, it } from 'vitest';
import { judgeError, judgeOutput } from '../../fuzz/run-case.js';

const CLEAR = 'strata: error: The model file is not a valid ONNX model (truncated at byte 120).\n';

describe('fuzz classifier', () => {
  it('calls one short plain error line clear', () => {
    expect(judgeError(CLEAR).problem).toBeNull();
    expect(judgeError(CLEAR, 'Profiling model.onnx\n').problem).toBeNull();
  });

  it.each([
    ['a Node.js trailer on stdout', CLEAR, '\nNode.js v20.20.2\n', /Node\.js version/],
    [
      'a node:internal frame on stdout',
      CLEAR,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n',
      /stack frame|node:internal/,
    ],
    ['a stack frame on stderr', `${CLEAR}    at readModel (file:///x/summary.js:10:3)\n`, '', /stack frame/],
    ['a C++ signature', 'strata: error: onnxruntime::Graph::Resolve failed.\n', '', /C\+\+/],
    ['a source location on stdout', CLEAR, 'graph.cc:1442 something\n', /C\+\+/],
    ['two error lines across the streams', CLEAR, CLEAR, /2 error lines/],
    ['an over-long line on stdout', CLEAR, `${'x'.repeat(501)}\n`, /line of 501/],
    ['no error line at all', 'something failed\n', '', /0 error lines/],
  ])('calls %s unclear', (_, stderr, stdout, why) => {
    expect(judgeError(stderr, stdout).problem).toMatch(why);
  });

  it('judges a successful run by both streams too', () => {
    expect(judgeOutput('Layer  Time\nconv   1.2 ms\n', '').problem).toBeNull();
    expect(judgeOutput('ok\n', 'Node.js v20.20.2\n').problem).toMatch(/Node\.js/);
    expect(judgeOutput(`${'y'.repeat(600)}\n`, '').problem).toMatch(/line of 600/);
  });
});
