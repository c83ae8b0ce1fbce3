// A cyclic graph is refused before any transform rewrites it into a file nothing can load.
import { describe, expect, it } from 'vitest';
import { assertAcyclic } from '../../../../../electron/core/model/graph-order.js';
import {
  AttributeType,
  decodeModel,
  type OnnxGraph,
  type OnnxNode,
} from '../../../../../electron/core/model/onnx-proto.js';
import { buildMlp } from '../../../../support/synthetic-models.js';

const node = (
  name: string,
  inputs: string[],
  outputs: string[],
  attributes: OnnxNode['attributes'] = [],
): OnnxNode => ({ name, opType: 'Add', domain: '', inputs, outputs, attributes });
const graph = (nodes: OnnxNode[]): OnnxGraph => ({
  name: 'g',
  nodes,
  initializers: [],
  inputs: [{ name: 'x' } as never],
  outputs: [],
  valueInfo: [],
});

describe('assertAcyclic', () => {
  it('accepts a real model and nodes listed out of order', () => {
    expect(() => assertAcyclic(decodeModel(buildMlp({ sizes: [8, 8, 4] }).bytes).graph)).not.toThrow();
    expect(() => assertAcyclic(graph([node('b', ['a_out'], ['b_out']), node('a', ['x'], ['a_out'])]))).not.toThrow();
  });

  it('names a node on a two-node cycle', () => {
    const g = graph([
      node('first', ['x'], ['f']),
      node('a', ['f', 'b_out'], ['a_out']),
      node('b', ['a_out'], ['b_out']),
      node('last', ['b_out'], ['y']),
    ]);
    expect(() => assertAcyclic(g)).toThrow(
      /^The model's graph has a cycle: node "[ab]" \(Add\) in the main graph depends on its own output/,
    );
  });

  it('finds a node that reads its own output', () => {
    expect(() => assertAcyclic(graph([node('self', ['x', 's'], ['s'])]))).toThrow(/node "self"/);
  });

  it('counts a subgraph reading a later node as a dependency of the node holding it', () => {
    const body = graph([node('inner', ['late'], ['o'])]);
    const g = graph([
      node('if', ['x'], ['if_out'], [{ name: 'then_branch', type: AttributeType.GRAPH, g: body }]),
      node('late_node', ['if_out'], ['late']),
    ]);
    expect(() => assertAcyclic(g)).toThrow(/cycle/);
  });

  it('checks subgraphs nested thousands deep without recursion', () => {
    let g = graph([node('leaf', ['x', 'c'], ['c'])]);
    for (let i = 0; i < 5000; i++)
      g = graph([node(`if${i}`, ['x'], [`o${i}`], [{ name: 'then_branch', type: AttributeType.GRAPH, g }])]);
    expect(() => assertAcyclic(g)).toThrow(/node "leaf" \(Add\) in the subgraph of node "if0"/);
  });
});
