/**
 * onnxruntime's profiler trace: a JSON array of Chrome-trace "X" events, microseconds, with
 * numbers inside `args` written as strings. Parsed into typed events once, here.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors.js';

/** A tensor's element type and shape, as the profiler lists node inputs and outputs. */
export interface TypedShape {
  readonly type: string;
  readonly dims: number[];
}

/** One event of the trace. */
export interface OrtTraceEvent {
  readonly cat: string; // 'Session', 'Node', 'Api' (WebGPU GPU time)
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number; // µs from the session's start
  readonly dur: number; // µs
  readonly args: Readonly<Record<string, unknown>>;
}

/** A node's kernel call, with its numeric args parsed. */
export interface KernelEvent extends OrtTraceEvent {
  readonly node: string; // the node name (event name without "_kernel_time")
  readonly opType: string;
  readonly provider: string;
  readonly activationBytes: number;
  readonly parameterBytes: number;
  readonly outputBytes: number;
  readonly arenaInUseBytes: number | null;
  readonly arenaPeakBytes: number | null;
}

/**
 * Reads a trace file as a stream, one event per line as onnxruntime writes them: no whole-file
 * string, and each event reduced to what the analysis reads as it is parsed. A 50,000-node trace is
 * 90 MB and 150,000 events; parsed whole, its objects (every arg, every shape) outlived the parse
 * and the garbage collector spent seconds on them. A file this cannot follow line by line (a node
 * name with a raw line break) is read whole instead.
 */
export async function readOrtTrace(path: string): Promise<OrtTraceEvent[]> {
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const reader = new TraceLineReader();
    let rest: Buffer = Buffer.alloc(0); // bytes after the last line break seen
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Decoded up to the chunk's last line break, so no character is split between chunks.
      const cut = chunk.lastIndexOf(10);
      if (cut < 0) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      const text = (rest.length ? Buffer.concat([rest, chunk.subarray(0, cut)]) : chunk.subarray(0, cut)).toString(
        'utf8',
      );
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        if (!reader.line(text.slice(start, end), false)) return await readWholeTrace(path);
        start = end + 1;
      }
      if (!reader.line(text.slice(start), false)) return await readWholeTrace(path);
      rest = chunk.subarray(cut + 1);
    }
    if (!reader.line(rest.toString('utf8'), true)) return await readWholeTrace(path);
    return reader.events;
  } catch (err) {
    if (err instanceof StrataError) throw err;
    throw new StrataError(
      'IO_ERROR',
      `Could not read onnxruntime's profile trace "${path}": ${(err as Error).message}.`,
    );
  } finally {
    stream?.destroy();
  }
}

// One line of the trace at a time: "[", then `{...},` per event, then "]" (or nothing, when the
// worker was killed while writing).
class TraceLineReader {
  readonly events: OrtTraceEvent[] = [];
  // A node's trimmed args, shared by all its calls: the shapes are read from one call per node.
  private readonly argsOf = new Map<string, Readonly<Record<string, unknown>>>();

  /** Takes one line; false when it is not an event this reader can parse (read the file whole then). */
  line(raw: string, last: boolean): boolean {
    let text = raw.trim();
    if (text === '' || text === '[' || text === ']') return true;
    if (text.startsWith('[')) return false; // not one event per line (a trace written compact): read whole
    if (text.endsWith(',')) text = text.slice(0, -1);
    if (text.endsWith('}]')) text = text.slice(0, -1); // the last event and the closing bracket on one line
    const quick = this.repeatedKernelCall(text);
    if (quick) {
      this.events.push(quick);
      return true;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      try {
        value = JSON.parse(repairTraceStrings(text));
      } catch {
        return last; // a last line cut short is dropped, as the whole-file read salvages what is complete
      }
    }
    const event = toTraceEvent(value, this.argsOf);
    if (event) this.events.push(event);
    return true;
  }

  /**
   * A kernel call of a node seen before, read without parsing its args: the event's own fields (the
   * part before "args") are parsed, and of the args only the five numbers the analysis reads are
   * picked out; the rest (shapes, op, provider) is the node's, already known. Null for anything
   * else or anything unexpected, which is then parsed whole.
   */
  private repeatedKernelCall(text: string): KernelEvent | null {
    const at = text.indexOf(NAME_END);
    if (at < 0 || !text.startsWith(NODE_CAT) || !text.endsWith('}}')) return null;
    const nameAt = text.indexOf(NAME_KEY);
    if (nameAt < 0 || nameAt > at || !text.includes(PH_X)) return null;
    const name = text.slice(nameAt + NAME_KEY.length, at);
    if (!name.endsWith(KERNEL_SUFFIX) || name.includes('\\')) return null;
    const node = name.slice(0, -KERNEL_SUFFIX.length);
    const args = this.argsOf.get(node);
    if (!args) return null;
    const pid = numberField(text, '"pid" :', nameAt);
    const tid = numberField(text, '"tid" :', nameAt);
    const ts = numberField(text, '"ts" :', nameAt);
    const dur = numberField(text, '"dur" :', nameAt);
    if (pid === null || tid === null || ts === null || dur === null) return null;
    const picked: Record<string, unknown> = { op_name: args.op_name, provider: args.provider };
    for (const key of NUMBER_ARGS) {
      const value = quotedArg(text, key, at);
      if (value === undefined) return null;
      picked[key] = value;
    }
    return toKernelEvent({ cat: 'Node', name, pid, tid, ts, dur, args: picked }, node, args);
  }
}

// How onnxruntime writes an event's line: `{"cat" : "Node","pid" :1,"tid" :1,"dur" :51,"ts" :3,
// "ph" : "X","name" :"<node>_kernel_time","args" : {...}}`.
const NODE_CAT = '{"cat" : "Node",';
const PH_X = '"ph" : "X",';
const NAME_KEY = '"name" :"';
const NAME_END = '","args" : {';

// The integer after `key` in `text` before `end`; null when it is not there as expected.
function numberField(text: string, key: string, end: number): number | null {
  const at = text.indexOf(key);
  if (at < 0 || at > end) return null;
  const start = at + key.length;
  const stop = text.indexOf(',', start);
  if (stop < 0 || stop > end) return null;
  const n = Number(text.slice(start, stop));
  return Number.isFinite(n) ? n : null;
}

const NUMBER_ARGS = ['activation_size', 'parameter_size', 'output_size', 'mem_bytes_in_use', 'mem_in_use_peak'];

// The string value of `"key" : "value"` in `text` after `from`; null when the key is absent (an
// older onnxruntime writes no arena numbers), undefined when it is there but not as expected.
function quotedArg(text: string, key: string, from: number): string | null | undefined {
  const at = text.indexOf(`"${key}" : "`, from);
  if (at < 0) return text.includes(`"${key}"`, from) ? undefined : null;
  const start = at + key.length + 6;
  const end = text.indexOf('"', start);
  return end < 0 ? undefined : text.slice(start, end);
}

/** Reads the trace whole: for files the line reader cannot follow. */
async function readWholeTrace(path: string): Promise<OrtTraceEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StrataError(
      'IO_ERROR',
      `Could not read onnxruntime's profile trace "${path}": ${(err as Error).message}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // onnxruntime writes node names into the trace as they are, unescaped: a name with a quote, a
    // backslash or a control character makes the file invalid JSON. Repair the strings, and then
    // a trace cut short (worker killed while writing) ends without "]": salvage what is complete.
    const repaired = repairTraceStrings(text);
    try {
      json = JSON.parse(repaired);
    } catch {
      // cut short: below
    }
    try {
      json ??= JSON.parse(repaired.slice(0, repaired.lastIndexOf('},') + 1) + ']');
    } catch (err) {
      throw new StrataError(
        'IO_ERROR',
        `onnxruntime's profile trace "${path}" is not valid JSON (${(err as Error).message}).`,
      );
    }
  }
  return parseOrtTrace(json);
}

/**
 * `text` with the strings onnxruntime left unescaped made valid JSON. onnxruntime escapes nothing,
 * so inside a string every backslash and control character is literal, and a quote ends the string
 * only where JSON can go on after one (`,` `:` `}` `]`); any other quote belongs to a name.
 */
export function repairTraceStrings(text: string): string {
  let out = '';
  let inString = false;
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === 34) inString = true; // "
      continue;
    }
    let escaped: string | null = null;
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (j >= text.length || ',:}]'.includes(text[j]!)) {
        inString = false;
        continue;
      }
      escaped = '\\"';
    } else if (c === 92) escaped = '\\\\';
    else if (c < 0x20) escaped = `\\u${c.toString(16).padStart(4, '0')}`;
    if (escaped !== null) {
      out += text.slice(runStart, i) + escaped;
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}

/** Parses a trace's JSON value into events, dropping anything that is not an event. */
export function parseOrtTrace(json: unknown): OrtTraceEvent[] {
  const list = Array.isArray(json) ? json : (json as { traceEvents?: unknown[] })?.traceEvents;
  if (!Array.isArray(list)) throw new StrataError('IO_ERROR', 'The profile trace is not a list of events.');
  const events: OrtTraceEvent[] = [];
  const argsOf = new Map<string, Readonly<Record<string, unknown>>>();
  for (const e of list) {
    const event = toTraceEvent(e, argsOf);
    if (event) events.push(event);
  }
  return events;
}

const num = (value: unknown): number | null => {
  const n = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(n) ? null : n;
};

const KERNEL_SUFFIX = '_kernel_time';

/**
 * A trace's JSON value for one event as a typed event, or null when it is not an event. A node's
 * kernel call comes out as a KernelEvent at once, its args cut to the ones read later and shared
 * by all calls of the node through `argsOf` (its shapes are read from one call).
 */
function toTraceEvent(value: unknown, argsOf: Map<string, Readonly<Record<string, unknown>>>): OrtTraceEvent | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  if (typeof r.name !== 'string' || r.ph !== 'X') return null;
  const event: OrtTraceEvent = {
    cat: String(r.cat ?? ''),
    name: r.name,
    pid: Number(r.pid ?? 0),
    tid: Number(r.tid ?? 0),
    ts: Number(r.ts ?? 0),
    dur: Number(r.dur ?? 0),
    args: (r.args as Record<string, unknown>) ?? {},
  };
  if (!isKernelCall(event)) return event;
  const node = nodeOf(event);
  let args = argsOf.get(node);
  if (!args) {
    const a = event.args;
    args = {
      op_name: a.op_name,
      provider: a.provider,
      input_type_shape: a.input_type_shape,
      output_type_shape: a.output_type_shape,
    };
    argsOf.set(node, args);
  }
  return toKernelEvent(event, node, args);
}

function isKernelCall(e: OrtTraceEvent): boolean {
  return e.cat === 'Node' && e.name.endsWith(KERNEL_SUFFIX);
}

function nodeOf(e: OrtTraceEvent): string {
  return e.name.slice(0, -KERNEL_SUFFIX.length);
}

// Fields spelled out rather than spread from `e`: a spread plus ten more keys made every event a
// slow dictionary-mode object (30,000 events took 2-4 s, against 0.2 s written out). The numbers
// come from the event's own args; `args` may be a trimmed copy.
function toKernelEvent(e: OrtTraceEvent, node: string, args: Readonly<Record<string, unknown>>): KernelEvent {
  const a = e.args;
  return {
    cat: e.cat,
    name: e.name,
    pid: e.pid,
    tid: e.tid,
    ts: e.ts,
    dur: e.dur,
    args,
    node,
    opType: String(a.op_name ?? ''),
    provider: String(a.provider ?? ''),
    activationBytes: num(a.activation_size) ?? 0,
    parameterBytes: num(a.parameter_size) ?? 0,
    outputBytes: num(a.output_size) ?? 0,
    arenaInUseBytes: num(a.mem_bytes_in_use),
    arenaPeakBytes: num(a.mem_in_use_peak),
  };
}

// "input_type_shape": [{"float":[1,3,224,224]}, {"int64":[4]}]
function typedShapes(value: unknown): TypedShape[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    entry && typeof entry === 'object'
      ? Object.entries(entry as Record<string, unknown>).map(([type, dims]) => ({
          type,
          dims: Array.isArray(dims) ? dims.map(Number) : [],
        }))
      : [],
  );
}

/**
 * A kernel call's input and output types and shapes. Read on demand, for one call per node: parsing
 * them for every call of a 50,000-node trace cost seconds of allocation and GC for nothing.
 */
export function kernelShapes(e: KernelEvent): { inputs: TypedShape[]; outputs: TypedShape[] } {
  return { inputs: typedShapes(e.args.input_type_shape), outputs: typedShapes(e.args.output_type_shape) };
}

// One extraction per trace: the analysis and the cold-run times both read the kernel calls.
const kernelsOf = new WeakMap<readonly OrtTraceEvent[], readonly KernelEvent[]>();

/** The kernel-call events (one per node call), with their numeric args parsed; in trace order. Computed once per `events`. */
export function kernelEvents(events: readonly OrtTraceEvent[]): readonly KernelEvent[] {
  let kernels = kernelsOf.get(events);
  if (!kernels) {
    kernels = extractKernelEvents(events);
    kernelsOf.set(events, kernels);
  }
  return kernels;
}

function extractKernelEvents(events: readonly OrtTraceEvent[]): KernelEvent[] {
  // Events read from a file are kernel events already; ones built in memory (tests, benches) not.
  return events
    .filter(isKernelCall)
    .map((e) => ('node' in e ? (e as KernelEvent) : toKernelEvent(e, nodeOf(e), e.args)));
}

/** The session's model_run events (one per run, the warm-up ones first), in time order. */
export function modelRunEvents(events: readonly OrtTraceEvent[]): OrtTraceEvent[] {
  return events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
}
