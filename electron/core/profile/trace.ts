/**
 * onnxruntime's profiler trace: a JSON array of Chrome-trace "X" events, microseconds, with
 * numbers inside `args` written as strings. Parsed into typed events once, here.
 */
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

/** Reads and parses a trace file. */
export async function readOrtTrace(path: string): Promise<OrtTraceEvent[]> {
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
  for (const e of list) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.ph !== 'X') continue;
    events.push({
      cat: String(r.cat ?? ''),
      name: r.name,
      pid: Number(r.pid ?? 0),
      tid: Number(r.tid ?? 0),
      ts: Number(r.ts ?? 0),
      dur: Number(r.dur ?? 0),
      args: (r.args as Record<string, unknown>) ?? {},
    });
  }
  return events;
}

const num = (value: unknown): number | null => {
  const n = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(n) ? null : n;
};

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
  return (
    events
      .filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'))
      // Fields spelled out rather than spread from `e`: a spread plus ten more keys made every event a
      // slow dictionary-mode object here (30,000 events took 2-4 s, against 0.2 s written out).
      .map((e) => ({
        cat: e.cat,
        name: e.name,
        pid: e.pid,
        tid: e.tid,
        ts: e.ts,
        dur: e.dur,
        args: e.args,
        node: e.name.slice(0, -'_kernel_time'.length),
        opType: String(e.args.op_name ?? ''),
        provider: String(e.args.provider ?? ''),
        activationBytes: num(e.args.activation_size) ?? 0,
        parameterBytes: num(e.args.parameter_size) ?? 0,
        outputBytes: num(e.args.output_size) ?? 0,
        arenaInUseBytes: num(e.args.mem_bytes_in_use),
        arenaPeakBytes: num(e.args.mem_in_use_peak),
      }))
  );
}

/** The session's model_run events (one per run, the warm-up ones first), in time order. */
export function modelRunEvents(events: readonly OrtTraceEvent[]): OrtTraceEvent[] {
  return events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
}
