/**
 * The help of every `strata` command, in one place so that `strata COMMAND --help` answers for each
 * (the top-level dispatcher prints these) and the run settings read the same wherever they apply.
 */

/** The run settings shared by profile, compare and static quantization's calibration. */
const PLAN_HELP = `Execution:
  --ep EP[,EP...]        execution providers in priority order (default cpu); see \`strata eps\`
  --threads N            intra-op threads (default: ORT's, one per core)
  --inter-threads N      inter-op threads (with --parallel)
  --parallel             parallel execution mode (default sequential)
  --opt-level LEVEL      graph optimization: disabled | basic | extended | all (default all)
  --warmup N             warm-up runs after the cold run (default 5)
  --runs N               timed runs, profiler off (default 50)
  --precision PCT        keep timing until the p50's 95% interval is within ±PCT (e.g. 2%),
                         up to 20x --runs or a minute
  --profiled-runs N      runs with the profiler on, for per-layer times (default 10)
  --timeout SECONDS      limit for a single run (default 60)
Inputs:
  --shape NAME=1x3x224x224   fix every dim of an input (repeatable)
  --dim SYMBOL=N             fix a named symbolic dim wherever it appears (repeatable)
  --input NAME=VALUE         a number (e.g. sr=16000), zeros, random, FILE.npy or FILE.json (repeatable)
  --seed N                   seed of the random inputs (default 42)
`;

/** `strata profile --help`. */
export const PROFILE_HELP = `Usage: strata profile MODEL.onnx [options]

Runs the model the way it will run on the device and reports where the time and memory go.

${PLAN_HELP}Output:
  --json FILE     the full report (open it in the app, or script it)
  --csv FILE      one row per layer
  --trace FILE    Chrome trace for Perfetto / chrome://tracing, one track per thread
  --html FILE     a self-contained HTML report
  --top N         rows in the summary tables (default 10)
  -q, --quiet     no summary on stdout
Devices:
  --on NAME[,NAME...]  run on these devices (strata devices), in parallel; "local" is this
                       machine. With several, each output file gets the device's name before its
                       extension (r.json -> r.pi.json, r.local.json)
`;

/** `strata generate --help`. */
export const GENERATE_HELP = `Usage: strata generate MODEL.onnx [--prompt-lengths 16,64,256] [--new-tokens 64] [--draft D.onnx] [--gamma 1-8] --json F [--html F]
       strata generate MODEL.onnx --vs OTHER.onnx [options] --json F [--html F]

Profiles a decoder with a KV cache (a Hugging Face Optimum or onnxruntime-genai export "with past":
input_ids, attention_mask, past_key_values.N.key/value in; logits, present.N.key/value out;
config.json or genai_config.json beside it is read when present). Greedy decoding on token ids, no
tokenizer: TTFT and prompt tokens/s per prompt length, the median decode step rate (1000 /
median step) per KV depth, per-token p50/p90, llama-bench rows (avg_ts: tokens over total time),
the KV cache's bytes computed and measured, peak memory, and per-layer time split into prefill and
decode. With --draft, the speculative pair: cost ratio c, acceptance alpha, the
predicted speedup S(gamma) and the best gamma, then real speculative loops, measured.

  --prompt-lengths N,N,...  prompt lengths of the TTFT sweep (default 16,64,256)
  --new-tokens N            decode steps after each prompt (default 64)
  --context N               the depth run decodes from the shortest prompt to N tokens
                            (default: the longest prompt + --new-tokens)
  --reps N                  runs of each prompt length (default 3)
  --draft FILE              a draft model with the target's vocabulary
  --vs FILE                 a second decoder (say MODEL's int8 variant from strata quantize)
                            profiled with the same settings and compared against MODEL: TTFT
                            curves, step rate by depth, per-token p50/p90, KV bytes and peak
                            memory side by side, each speed with its 95% interval and a verdict
                            (the two generate each prompt back to back in alternating rounds;
                            each repetition is a block of fresh sessions, one estimate per
                            block: a verdict needs --reps 3 or more, more narrow the intervals);
                            both must use the same tokenizer (vocabulary);
                            --json and --html then hold the comparison (both reports inside)
  --gamma G                 draft lengths to predict and run: 4, 1-8 or 2,4,8 (default 1-8)
  --prompt FILE             token ids (a JSON array, or ids separated by spaces) for the
                            speculative measurements (repeatable; default seeded random prompts)
  --prompts N               seeded random prompts when no --prompt is given (default 4)
  --clock wall|cpu          time steps by the wall clock (default), or by the worker's CPU time,
                            which other load on a shared machine does not inflate (use with
                            --threads 1, where it equals a quiet machine's wall time)
  --json FILE               the report as JSON, with llama-bench's rows (n_prompt, n_gen,
                            n_depth, avg_ts, stddev_ts, samples_ts) under "llamaBench"
  --html FILE               a self-contained HTML report
  --ep, --threads, --opt-level, --seed, --timeout   as for strata profile
  -q, --quiet               no summary on stdout
`;

/** Help per command, by the command's name. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  profile: PROFILE_HELP,
  generate: GENERATE_HELP,
  inspect: `Usage: strata inspect MODEL.onnx [--json]

Prints a model's structure without running it: size, IR version and producer, opsets, node count
(main graph and subgraphs), parameters, inputs and outputs with their shapes, the op histogram,
each If/Loop/Scan subgraph, and external data files (checked to exist, never read). The weights are
never read, so a 1 GB model is inspected in about a second; the last line says what was read and
how long it took.

  --json     the inspection as JSON (with timeMs)
`,
  eps: `Usage: strata eps [--json]

Lists every execution provider onnxruntime-node knows on this platform (CPU, WebGPU, CUDA, TensorRT,
DirectML, CoreML, QNN, OpenVINO), whether it works here (a trial session on each), and if not, why
and what to do.

  --json     the list as JSON
`,
  ceilings: `Usage: strata ceilings [--remeasure] [--threads N] [--json]

Shows what Strata measured of this machine (once, then cached in the config folder) and uses to
judge every layer: cache sizes and where each came from, load latency and copy bandwidth against
working-set size, and the roofline ceilings (float32 and int8 compute, memory bandwidth).

  --remeasure     measure everything again now (close other programs first: load makes it low)
  --threads N     ceilings for N intra-op threads (default: every core)
  --json          print the measurement as JSON
`,
  report: `Usage: strata report REPORT.json [--html F] [--csv F] [--trace F] [--json F]

Exports a saved report (from \`strata profile --json\` or the app) to other formats.

  --html FILE     a self-contained HTML report that opens offline
  --csv FILE      one row per layer
  --trace FILE    Chrome trace for Perfetto / chrome://tracing
  --json FILE     the report again, in the current schema
`,
  serve: `Usage: strata serve [MODEL.onnx] [--port P] [--no-open]

Serves the app to a browser on 127.0.0.1 (the same app as the desktop one), guarded by a per-launch
token in the printed URL. Opens MODEL, or the bundled sample model.

  --port P        port to listen on (default: a free one)
  --no-open       do not open a browser
`,
  quantize: `Usage: strata quantize MODEL.onnx --out FILE [options]

Writes an int8 variant of the model.

  --mode dynamic|weight-only|static
                                 dynamic (default): int8 compute with activations quantized at run
                                 time; weight-only: int8 weights, float compute; static: QDQ with
                                 calibrated activation ranges
  --per-channel                  one scale per output channel (default for dynamic)
  --per-tensor                   one scale per weight tensor (default for static and weight-only)
  --symmetric                    symmetric ranges (default: asymmetric)
  --weight-type int8|uint8       weight type (default int8)
  --ops MatMul,Gemm,Conv         op types to quantize
  --exclude NODE,...             nodes to leave in float
  --calibrate minmax|percentile|entropy   static only: how activation ranges are chosen (default minmax)
  --calibration-inputs N|DIR     static only: N seeded random samples, or a folder of .npy/.json inputs
Run settings for calibration (static):
${PLAN_HELP}`,
  convert: `Usage: strata convert MODEL.onnx --fp16 --out FILE [--keep-fp32 OP_OR_NODE,...]

Writes a float16 variant of the model, with Casts at the boundaries of what stays float32.

  --fp16                         convert to float16 (the one conversion there is)
  --keep-fp32 OP_OR_NODE,...     op types or node names to keep in float32 (besides the defaults)
`,
  prune: `Usage: strata prune MODEL.onnx --sparsity S --out FILE [--pattern unstructured|2:4] [--ops ...] [--exclude ...]

Writes a variant with the smallest weights set to zero (magnitude pruning).

  --sparsity S                   share of weights to zero, 0 to 1 (2:4 needs 0.5)
  --pattern unstructured|2:4     anywhere (default), or two of every four along the input dim
  --ops MatMul,Gemm,Conv         op types whose weights to prune
  --exclude NODE,...             nodes to leave dense
`,
  compare: `Usage: strata compare BASE.onnx VARIANT.onnx... [--json F] [--html F] [--labels A,B,...] [--no-drift] [options]

Runs a model and its variants (quantized, fp16, pruned, or a distilled model with the same inputs)
with the same plan on the same input bytes, and compares latency, size, memory and output drift.

  --json FILE       the comparison as JSON
  --html FILE       the comparison as a self-contained HTML page
  --labels A,B,...  names for the models, in order
  --no-drift        skip comparing outputs layer by layer
  --on NAME,NAME... a devices comparison: the model(s) on each device side by side (devices run in
                    parallel; runs are not interleaved across devices, so speed intervals are
                    from unpaired samples). Also: strata compare R1.json R2.json... compares saved
                    reports (e.g. from strata profile --on a,b --json r.json)
Run settings:
${PLAN_HELP}`,
  devices: `Usage: strata devices add NAME ssh://user@host[:port]
       strata devices list [--json]
       strata devices check [NAME...] [--json]
       strata devices remove NAME

Your own devices (a Raspberry Pi, a Jetson, a gateway), reached with the system's OpenSSH client
and your own SSH setup: ~/.ssh/config (a Host alias works as the address), agent, keys and
known_hosts. Strata never prompts and never stores a password: install your key on the device once
(ssh-copy-id), and accept its host key once (ssh user@host); an unknown or changed host key is
refused. STRATA_SSH_CONFIG=FILE makes Strata use that ssh_config instead of ~/.ssh/config (ssh -F).

check connects, reads the OS, CPU, cores, memory and Node version, deploys Strata's engine if it
is not there yet, and lists the execution providers that work on the device. The device needs only
Node 20 or newer: Strata copies its engine and the onnxruntime binary for the device's platform
into ~/.cache/strata/VERSION there (once per engine build; no internet needed on the device), and
each model into ~/.cache/strata/models/HASH (once per content).

Then: strata profile MODEL --on NAME[,NAME...,local] and strata compare MODEL --on NAME,NAME.
Ctrl-C stops the device's worker; a lost connection stops it too, and no partial result is kept.
Devices are stored in devices.json in the config folder (STRATA_CONFIG_DIR).
`,
};
