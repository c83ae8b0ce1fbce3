// Outputs added to a model by appending bytes (what a comparison's worker does to read intermediate
// tensors without the parent decoding and re-encoding the model): the decoder merges a second graph
// field as protobuf parsers, onnxruntime's included, do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, graphOutputsSuffix } from '../../../../../electron/core/model/onnx-proto.js';
import { SAMPLE } from '../../../../fixtures/paths.js';

describe('graphOutputsSuffix', () => {
  it('appended to a model file, adds exactly those graph outputs and changes nothing else', () => {
    const bytes = readFileSync(SAMPLE);
    const before = decodeModel(bytes);
    const names = before.graph.nodes.slice(0, 3).map((n) => n.outputs[0]!);
    const suffix = graphOutputsSuffix(names);
    const after = decodeModel(new Uint8Array([...bytes, ...suffix]));
    expect(after.graph.outputs.map((o) => o.name)).toEqual([...before.graph.outputs.map((o) => o.name), ...names]);
    expect(after.graph.nodes).toEqual(before.graph.nodes);
    expect(after.graph.initializers.length).toBe(before.graph.initializers.length);
    expect(after.graph.name).toBe(before.graph.name);
    // Re-encoded, it is one ordinary graph with those outputs.
    expect(decodeModel(encodeModel(after)).graph.outputs.map((o) => o.name)).toEqual(
      after.graph.outputs.map((o) => o.name),
    );
    expect(suffix.length).toBeLessThan(64 * names.length + 16);
  });
});
