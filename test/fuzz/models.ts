/**
 * A seeded generator of corrupted and crafted ONNX models, built with Strata's own writer: byte
 * flips, truncation, random bytes, protobuf field mutations, cycles, huge dims, hostile names,
 * hostile external-data locations and deep subgraph nesting. The same seed always gives the same
 * case, so a finding can be replayed with `npm run fuzz -- --seed S --count 1`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../electron/core/random.js';
import { GraphBuilder, valueInfo } from '../../electron/core/model/graph-builder.js';
import {
  AttributeType,
  DataType,
  decodeModel,
  encodeModel,
  type OnnxGraph,
  type OnnxModel,
} from '../../electron/core/model/onnx-proto.js';
import { ProtoReader, ProtoWriter } from '../../electron/core/model/protobuf.js';
import { buildConvNet, buildMlp, externalMatMul } from '../support/synthetic-models.js';

/** The kinds of damage, in the order the generator cycles through them. */
export const KINDS = [
  'flip',
  'truncate',
  'random',
  'field',
  'cycle',
  'huge-dims',
  'names',
  'external',
  'nesting',
] as const;
export type Kind = (typeof KINDS)[number];

/** One generated case: a model file (and any side files) written into a folder of its own. */
export interface ModelCase {
  readonly seed: number;
  readonly kind: Kind;
  readonly what: string; // a short account of the damage, for the report
  readonly modelPath: string;
}

type Rng = () => number;

const base = {
  mlp: () => buildMlp({ sizes: [16, 32, 8], seed: 3 }).bytes,
  mlpDynamic: () => buildMlp({ sizes: [8, 8, 4], batch: 'batch', seed: 5 }).bytes,
  conv: () => buildConvNet({ channels: [3, 4, 8], size: 16, classes: 4 }).bytes,
};
const BASES = Object.keys(base) as (keyof typeof base)[];

/** A valid model the fuzzed ones are compared against. */
export function baselineModel(): Uint8Array {
  return base.mlp();
}

/** Writes the case for `seed` into `dir` (which must exist) and says what it is. */
export function generateCase(seed: number, dir: string): ModelCase {
  const rng = createRng((seed * 2654435761) >>> 0);
  const int = (n: number) => Math.floor(rng() * n);
  const kind = KINDS[seed % KINDS.length]!;
  const baseName = BASES[int(BASES.length)]!;
  const bytes = base[baseName]();
  const modelPath = join(dir, 'model.onnx');
  let out: Uint8Array;
  let what: string;
  switch (kind) {
    case 'flip': {
      out = Uint8Array.from(bytes);
      const flips = 1 + int(12);
      for (let i = 0; i < flips; i++) out[int(out.length)] ^= 1 << int(8);
      what = `${flips} bit flips in ${baseName}`;
      break;
    }
    case 'truncate': {
      const at = int(bytes.length);
      out = bytes.subarray(0, at);
      what = `${baseName} cut at byte ${at} of ${bytes.length}`;
      break;
    }
    case 'random': {
      const length = int(4096);
      out = Uint8Array.from({ length }, () => int(256));
      if (length > 0 && rng() < 0.5) out[0] = 0x08; // starts like a ModelProto (ir_version)
      what = `${length} random bytes`;
      break;
    }
    case 'field': {
      const model = decodeModel(bytes);
      what = `${baseName}: ${mutateField(model, rng)}`;
      out = encodeModel(model);
      break;
    }
    case 'cycle': {
      const model = decodeModel(bytes);
      const nodes = model.graph.nodes;
      const [a, b] = [int(nodes.length), int(nodes.length)];
      // b consumes a's output and a consumes b's: a loop no topological order can run.
      nodes[a]!.inputs[0] = nodes[b]!.outputs[0]!;
      nodes[b]!.inputs[0] = nodes[a]!.outputs[0]!;
      what = `${baseName}: nodes ${a} and ${b} feed each other`;
      out = encodeModel(model);
      break;
    }
    case 'huge-dims': {
      const model = decodeModel(bytes);
      what = `${baseName}: ${hugeDims(model, rng)}`;
      out = encodeModel(model);
      break;
    }
    case 'names': {
      const model = decodeModel(bytes);
      what = `${baseName}: ${hostileNames(model, rng)}`;
      out = encodeModel(model);
      break;
    }
    case 'external': {
      const { model, note } = hostileExternal(dir, rng);
      what = note;
      out = encodeModel(model);
      break;
    }
    case 'nesting': {
      const depth = [8, 31, 40, 200, 3000][int(5)]!;
      out = nestedIfs(depth);
      what = `If nested ${depth} deep`;
      break;
    }
  }
  writeFileSync(modelPath, out);
  return { seed, kind, what, modelPath };
}

const HOSTILE = [
  '\u001b]0;pwned\u0007', // OSC: sets the terminal title
  '\u001b[2J\u001b[H', // clears the screen
  '\nstrata: error: forged line', // forges an error line
  '\u001b[31mred\u001b[0m',
  'quote"and\\backslash',
  'bidi\u202eevil',
  '\u0000nul',
  '\r\rcarriage',
];

function hostileName(rng: Rng): string {
  const r = rng();
  if (r < 0.15) return 'n'.repeat(1_000_000); // a megabyte
  if (r < 0.25) return '';
  return `${HOSTILE[Math.floor(rng() * HOSTILE.length)]}/${Math.floor(rng() * 1000)}`;
}

function hostileNames(model: OnnxModel, rng: Rng): string {
  const where = Math.floor(rng() * 4);
  const name = hostileName(rng);
  const g = model.graph;
  if (where === 0) {
    for (const node of g.nodes) node.name = hostileName(rng);
    return 'every node renamed';
  }
  if (where === 1) {
    // Rename an input everywhere it is used: a valid model with a hostile input name.
    const old = g.inputs[0]!.name;
    for (const node of g.nodes) node.inputs = node.inputs.map((i) => (i === old ? name : i));
    g.inputs[0]!.name = name;
    return 'hostile input name';
  }
  if (where === 2) {
    model.producerName = name;
    model.graph.name = name;
    return 'hostile producer and graph name';
  }
  const node = g.nodes[Math.floor(rng() * g.nodes.length)]!;
  node.opType = name || 'X';
  return 'hostile op type';
}

function mutateField(model: OnnxModel, rng: Rng): string {
  const g = model.graph;
  const node = g.nodes[Math.floor(rng() * g.nodes.length)]!;
  const init = g.initializers[Math.floor(rng() * g.initializers.length)];
  switch (Math.floor(rng() * 12)) {
    case 0:
      node.opType = ['NoSuchOp', 'Conv', 'Loop', 'If', ''][Math.floor(rng() * 5)]!;
      return `node op set to "${node.opType}"`;
    case 1:
      node.inputs = [];
      return 'a node lost its inputs';
    case 2:
      node.inputs.push('no_such_tensor');
      return 'a node reads a tensor nobody makes';
    case 3:
      if (init) init.dataType = [0, 7, 8, 16, 99][Math.floor(rng() * 5)]!;
      return 'an initializer changed type';
    case 4:
      if (init?.raw) init.raw = init.raw.subarray(0, Math.floor(init.raw.length / 2));
      return 'an initializer lost half its bytes';
    case 5:
      if (init) init.dims = init.dims.map((d) => -d);
      return 'negative initializer dims';
    case 6:
      model.opsetImports = [{ domain: '', version: [0, 1, 99, 1_000_000][Math.floor(rng() * 4)]! }];
      return `opset set to ${model.opsetImports[0]!.version}`;
    case 7:
      model.irVersion = [0, 1, 99, 2 ** 31][Math.floor(rng() * 4)]!;
      return `IR version ${model.irVersion}`;
    case 8:
      g.outputs = [];
      return 'no graph outputs';
    case 9:
      g.nodes.push({ ...node, name: `${node.name}_dup` });
      return 'two nodes write the same tensor';
    case 10:
      node.attributes.push({ name: 'kernel_shape', type: AttributeType.STRING, s: new TextEncoder().encode('3x3') });
      return 'an attribute of the wrong type';
    default:
      g.inputs[0]!.type = { tensor: { elemType: [0, 8, 13, 99][Math.floor(rng() * 4)]! } };
      return `input element type ${g.inputs[0]!.type!.tensor!.elemType}`;
  }
}

function hugeDims(model: OnnxModel, rng: Rng): string {
  const g = model.graph;
  const huge = [2 ** 31, 2 ** 40, 1e15, 65536 * 65536][Math.floor(rng() * 4)]!;
  if (rng() < 0.5) {
    const input = g.inputs[0]!;
    const rank = input.type?.tensor?.shape?.length ?? 2;
    input.type = {
      tensor: {
        elemType: DataType.FLOAT,
        shape: Array.from({ length: rank }, (_, i) => ({ value: i === 0 ? 1 : huge })),
      },
    };
    return `input dims of ${huge}`;
  }
  const init = g.initializers[0]!;
  init.dims = [huge, huge];
  return `an initializer claims [${huge}, ${huge}] with ${init.raw?.length ?? 0} bytes`;
}

// A model whose initializer keeps its data somewhere it must not: outside the folder, a device, a
// pipe, past the end of its file.
function hostileExternal(dir: string, rng: Rng): { model: OnnxModel; note: string } {
  writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(16 * 8 * 4, 1));
  writeFileSync(join(dir, '..', 'secret.bin'), Buffer.alloc(16 * 8 * 4, 7));
  const choices: [string, () => void, string?, string?][] = [
    ['../secret.bin', () => {}],
    ['../../../../../../../../etc/passwd', () => {}],
    ['/etc/passwd', () => {}],
    ['/dev/zero', () => {}],
    ['zero.bin', () => symlinkSync('/dev/zero', join(dir, 'zero.bin'))],
    ['secret-link.bin', () => symlinkSync(join(dir, '..', 'secret.bin'), join(dir, 'secret-link.bin'))],
    ['pipe.bin', () => execFileSync('mkfifo', [join(dir, 'pipe.bin')])],
    ['sub', () => mkdirSync(join(dir, 'sub'))],
    ['weights.bin', () => {}, '1000000', '512'],
    ['weights.bin', () => {}, '0', '99999999999'],
    ['weights.bin', () => {}, '-8', '512'],
    ['missing.bin', () => {}],
  ];
  const [location, make, offset = '0', length = '512'] = choices[Math.floor(rng() * choices.length)]!;
  make();
  return {
    model: externalMatMul(location, { offset, length, opset: 13 }),
    note: `external data at "${location}" (offset ${offset}, length ${length})`,
  };
}

/**
 * `depth` If nodes, each the then-branch of the one above; the innermost returns x. Written as
 * protobuf bytes from the inside out: neither building nor encoding it recurses, so any depth can
 * be made (Strata's own encoder, like its decoder, is recursive).
 */
export function nestedIfs(depth: number): Uint8Array {
  const valueInfoBytes = (w: ProtoWriter, field: number, name: string, elemType: number, dims: number[]) =>
    w.messageField(field, (v) =>
      v.stringField(1, name).messageField(2, (t) =>
        t.messageField(1, (tensor) => {
          tensor.int64Field(1, elemType).messageField(2, (shape) => {
            for (const d of dims) shape.messageField(1, (dim) => dim.int64Field(1, d));
          });
        }),
      ),
    );
  const node = (w: ProtoWriter, op: string, inputs: string[], out: string, attrs: [string, Uint8Array][]) =>
    w.messageField(1, (n) => {
      for (const i of inputs) n.stringField(1, i);
      n.stringField(2, out).stringField(3, `${op}_${out}`).stringField(4, op);
      for (const [name, graph] of attrs)
        n.messageField(5, (a) => a.stringField(1, name).int64Field(20, AttributeType.GRAPH).bytesField(6, graph));
    });
  const leaf = (out: string) => {
    const w = new ProtoWriter();
    node(w, 'Identity', ['x'], out, []);
    w.stringField(2, `leaf_${out}`);
    valueInfoBytes(w, 12, out, DataType.FLOAT, [1, 4]);
    return w.finish();
  };
  let inner = leaf('r0');
  let out = 'r0';
  for (let level = 1; level < depth; level++) {
    out = `r${level}`;
    const w = new ProtoWriter();
    node(w, 'If', ['c'], out, [
      ['then_branch', inner],
      ['else_branch', leaf(`e${level}`)], // sharing the nested branch would double the file per level
    ]);
    w.stringField(2, `level${level}`);
    valueInfoBytes(w, 12, out, DataType.FLOAT, [1, 4]);
    inner = w.finish();
  }
  // The model: the outermost level's If node as the main graph's node, plus the inputs.
  const top = new ProtoWriter();
  top.int64Field(1, 8); // ir_version
  top.messageField(8, (o) => o.int64Field(2, 13)); // opset 13
  top.messageField(7, (g) => {
    // A graph's fields may come in any order: the nested level's bytes first, then the inputs.
    g.bytesField(1, nodeOf(inner));
    valueInfoBytes(g, 11, 'x', DataType.FLOAT, [1, 4]);
    valueInfoBytes(g, 11, 'c', DataType.BOOL, []);
    valueInfoBytes(g, 12, out, DataType.FLOAT, [1, 4]);
  });
  return top.finish();
}

// The bytes of the first NodeProto (field 1) in a GraphProto's bytes.
function nodeOf(graph: Uint8Array): Uint8Array {
  const r = new ProtoReader(graph);
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      const sub = r.message();
      return graph.subarray(sub.pos, sub.end);
    }
    r.skip(wire);
  }
  throw new Error('no node');
}

/**
 * A model whose one run lasts as long as anyone waits: a Loop of 10^12 iterations, all inside
 * onnxruntime's native code. For tests that kill things in the middle of a run.
 */
export function endlessModel(): Uint8Array {
  const body: OnnxGraph = {
    name: 'body',
    nodes: [
      { name: 'keep', opType: 'Identity', domain: '', inputs: ['cond_in'], outputs: ['cond_out'], attributes: [] },
      { name: 'step', opType: 'Add', domain: '', inputs: ['v_in', 'one'], outputs: ['v_out'], attributes: [] },
    ],
    initializers: [
      {
        name: 'one',
        dims: [1, 4],
        dataType: DataType.FLOAT,
        raw: new Uint8Array(new Float32Array([1, 1, 1, 1]).buffer),
      },
    ],
    inputs: [valueInfo('i', [], DataType.INT64), valueInfo('cond_in', [], DataType.BOOL), valueInfo('v_in', [1, 4])],
    outputs: [valueInfo('cond_out', [], DataType.BOOL), valueInfo('v_out', [1, 4])],
    valueInfo: [],
  };
  const g = new GraphBuilder('endless');
  g.input('x', [1, 4]);
  g.int64Init('trips', [1e12], []);
  g.rawInit('go', [], DataType.BOOL, new Uint8Array([1]));
  g.graph.nodes.push({
    name: '/loop/Loop',
    opType: 'Loop',
    domain: '',
    inputs: ['trips', 'go', 'x'],
    outputs: ['y'],
    attributes: [{ name: 'body', type: AttributeType.GRAPH, g: body }],
  });
  g.output('y', [1, 4]);
  return encodeModel(g.toModel(13));
}
