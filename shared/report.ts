/**
 * The Report: the one product of every profile. The CLI prints it, the app draws it, the HTML, CSV
 * and Chrome-trace exports and every comparison read it. Versioned: bump REPORT_SCHEMA_VERSION on a
 * breaking change and teach `upgradeReport` (shared/report-upgrade.ts) to read the old shape.
 *
 * Units are in the field names: Ms = milliseconds, Us = microseconds, Bytes = bytes.
 */
import type { ModelSummary, OpsetImport, TensorInfo } from './model.js';
import type { EpName, ProfilePlan } from './plan.js';

/** Version of the shape below. Reports with a higher version are refused with a clear message. */
export const REPORT_SCHEMA_VERSION = 1;

/** The model as the report records it: enough to identify it and to redraw its overview. */
export interface ReportModel {
  readonly path: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly producer: string;
  readonly irVersion: number;
  readonly opsets: readonly OpsetImport[];
  readonly nodeCount: number;
  readonly parameterCount: number;
  readonly parameterBytes: number;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly opHistogram: ModelSummary['opHistogram'];
}

/**
 * Where a cache size came from, best first: Linux sysfs; the CPU's own CPUID answer (read through
 * glibc's `getconf`, or macOS `sysctl hw.*`); systeminformation's totals divided by the cores; the
 * memory-hierarchy probe's latency curve ('measured'); or given by the caller ('given', tests).
 * Reports before 2026-11 know only 'sysfs' and 'systeminformation'.
 */
export type CacheSource = 'sysfs' | 'cpuid' | 'sysctl' | 'systeminformation' | 'measured' | 'given';

/**
 * Cache sizes in bytes as one core sees them: L1 and L2 of one core, L3 of the domain it shares;
 * 0 where no such level was found. `source` is where the L1d size came from; `levelSources` says it
 * per level where the sources differ (a read L1d and L2, a measured L3).
 */
export interface CacheSizes {
  readonly l1d: number;
  readonly l1i: number;
  readonly l2: number;
  readonly l3: number;
  readonly source: CacheSource;
  readonly levelSources?: { readonly l1d: CacheSource; readonly l2: CacheSource; readonly l3: CacheSource };
}

/** One point of a memory-hierarchy curve: a working-set size and what was measured at it. */
export interface MemoryCurvePoint {
  readonly bytes: number;
  readonly value: number; // nanoseconds per load (latency) or GB/s (bandwidth)
}

/**
 * The machine's memory hierarchy as one core measured it (the staircase): load latency and copy
 * bandwidth against working-set size, and the cache boundaries found in the latency curve.
 */
export interface MemoryHierarchy {
  readonly measuredAt: string; // ISO 8601; measured once per machine, then cached
  readonly latencyNs: readonly MemoryCurvePoint[]; // dependent loads over a random cycle, one per 64-byte line
  readonly bandwidthGBs: readonly MemoryCurvePoint[]; // native copy, bytes read + written per second
  /** Last size of each plateau of the latency curve, smallest first: the caches as measured. */
  readonly boundaries: readonly number[];
  readonly durationMs: number;
  readonly otherCpuPercent: number | null; // CPU used by other processes while it ran, % of all cores
  readonly busy: boolean; // other programs were busy while it ran: the curve may be noisy, measured again when quiet
  /** Where read sizes and the curve disagree, what was read and what was used instead. */
  readonly disagreements: readonly string[];
}

/** The smallest cache level a working set fits in. */
export type CacheLevel = 'L1' | 'L2' | 'L3' | 'DRAM';

/** A display adapter of the machine, as the OS lists it. */
export interface GpuInfo {
  readonly vendor: string;
  readonly model: string;
  readonly vramBytes: number | null;
}

/** The machine the profile ran on. */
export interface DeviceInfo {
  /** The Strata device it ran on (`--on pi`: "pi", "local"); absent for a plain run on this machine. */
  readonly name?: string;
  readonly cpu: string;
  readonly cores: number; // physical
  readonly threads: number; // logical
  readonly memoryBytes: number;
  readonly os: string;
  readonly arch: string;
  readonly caches?: CacheSizes;
  /** The measured latency and bandwidth staircase; absent in reports before 2026-11. */
  readonly memoryHierarchy?: MemoryHierarchy;
  readonly onnxruntimeVersion: string;
  /** Display adapters the OS lists (none in most VMs and containers); absent in reports before 2026-11. */
  readonly gpus?: readonly GpuInfo[];
  /** Execution providers a trial session succeeded on, when the profile ran; absent in older reports. */
  readonly usableEps?: readonly EpName[]; /**
   * Whether the CPU has int8 dot-product instructions (x86 VNNI / AVX512-VNNI, Arm dot-product),
   * which int8 kernels need to beat float; read from the CPU flags, null where they cannot be read.
   */
  readonly int8Dot?: {
    readonly supported: boolean | null;
    readonly instructions: readonly string[];
    readonly source: string;
  };
}

/** The inputs actually fed to the model, after symbolic dims were fixed. */
export interface ResolvedInput {
  readonly name: string;
  readonly elementType: string;
  readonly shape: readonly number[];
  readonly source: string; // "random(seed=42)", "zeros", "scalar 16000", "file x.npy"
}

/** Settings as run: the plan plus what Strata decided on the user's behalf. */
export interface ReportSettings {
  readonly plan: ProfilePlan;
  readonly inputs: readonly ResolvedInput[];
}

/** End-to-end latency of the timing pass (profiler off). */
export interface LatencyStats {
  readonly coldMs: number; // the first run of a fresh session, kept out of the samples
  readonly samplesMs: readonly number[]; // every timed run, in order
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly stddevMs: number;
  readonly throughputPerSec: number; // 1000 / meanMs, one inference at a time
  /** The p50's 95% confidence interval (distribution-free, order statistics); absent in older reports. */
  readonly p50CiMs?: readonly [number, number];
  /** Noise of the timing pass; absent in older reports. */
  readonly noise?: LatencyNoise;
}

/** How noisy a timing pass was, and why, as trtexec warns on a high coefficient of variation. */
export interface LatencyNoise {
  readonly cv: number; // coefficient of variation: stddev / mean
  readonly outliers: number; // runs beyond Tukey's fences (1.5 IQR outside the quartiles)
  /** CPU other processes used during the pass, in cores (0.5 = half a core on average); null where unknown. */
  readonly otherCpuCores: number | null;
  /** A sentence naming the likely cause when the pass was noisy; null when it was quiet. */
  readonly warning: string | null;
}

/** Session set-up costs. */
export interface SessionTimes {
  readonly loadMs: number; // reading and parsing the model (ORT's model_loading event)
  readonly initMs: number; // graph optimisation, kernel creation, allocation (session_initialization)
  readonly createMs: number; // wall time of InferenceSession.create as the worker saw it
}

/** One node of the optimised graph that ran, with its statistics over the profiled runs. */
export interface LayerStats {
  readonly index: number; // position in `layers`
  readonly name: string;
  readonly opType: string;
  readonly modulePath: string; // "encoder/layer.0/attn" from the name's '/' segments; '' at the top
  readonly provider: string; // the EP that ran it: CPUExecutionProvider, WebGpuExecutionProvider...
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
  readonly inputTypes: readonly string[];
  readonly calls: number; // kernel invocations per profiled run (more than 1 inside loops)
  readonly meanUs: number; // per run: sum of its calls within a run, averaged over runs; a control-flow layer's includes its subgraph's layers
  readonly p50Us: number;
  readonly p90Us: number;
  readonly minUs: number;
  readonly maxUs: number;
  readonly share: number; // own time per run, median over the profiled runs (ownP50Us; the mean in older reports) / the sum over all layers, 0..1
  /** Median over the profiled runs of its own time per run (its time minus its subgraph layers'): robust to one stalled run. */
  readonly ownP50Us?: number;
  /** Interquartile range of its own time per run: how much it varied from run to run. */
  readonly ownIqrUs?: number;
  /** Its mean is more than twice what it is without its slowest run: one run drives it (a preempted run, not the layer). */
  readonly meanDrivenByOneRun?: boolean;
  readonly firstStartUs: number; // mean offset of its first call from the run start, for ordering
  readonly flops: number | null; // per run; null where not well defined for the op
  readonly gflopsPerSec: number | null; // flops / meanUs
  readonly activationBytes: number; // input activations, from ORT
  readonly parameterBytes: number; // weights it reads: ORT's count, or the graph's where ORT prepacked them away
  readonly outputBytes: number;
  readonly arenaInUseBytes: number | null; // arena memory in use after it ran, where ORT reports it
  readonly gpuUs: number | null; // GPU time of its kernels where the EP reports it (WebGPU)
  readonly parent?: string; // the control-flow layer (If/Loop/Scan) whose subgraph ran it; its time is inside the parent's
  readonly workingSetBytes?: number; // parameter + activation + output bytes
  readonly cacheLevel?: CacheLevel; // smallest cache of one core the working set fits in
}

/** Per op type: the layers of that type summed. */
export interface OpTypeStats {
  readonly opType: string;
  readonly count: number; // layers of this type
  readonly meanUs: number; // own time summed over its layers (nested ones included), per run
  /** Its layers' median own time per run, summed: what `share` and rankings use (absent in older reports). */
  readonly ownP50Us?: number;
  readonly share: number; // ownP50Us over the sum of all layers' (the mean in older reports)
  readonly flops: number | null;
  readonly gflopsPerSec: number | null;
  readonly providers: readonly string[];
}

/** One kernel call in one profiled run, for the timeline. */
export interface TimelineEvent {
  readonly layer: number; // index into `layers`
  readonly tid: number;
  readonly startUs: number; // from the start of the run
  readonly durUs: number;
}

/** One profiled run: its wall time and its kernel calls. */
export interface ProfiledRun {
  readonly durUs: number;
  readonly events: readonly TimelineEvent[];
  readonly startUs?: number; // when the run began, from the profiled session's start (its trace's time 0)
}

/** Memory seen during the profile. */
export interface MemoryStats {
  readonly peakRssBytes: number; // of the worker process itself, whole life (not what it inherited from its parent)
  /** How the peak was read: kernel high-water mark reset at worker start, getrusage, or sampled (a floor). */
  readonly peakRssSource?: 'hwm-reset' | 'rusage' | 'sampled';
  readonly arenaPeakBytes: number | null; // ORT's CPU arena peak, where reported
  readonly rssAfterLoadBytes: number;
}

/** Time per run not covered by any node: executor set-up, input copies, scheduling. */
export interface Overhead {
  readonly meanUs: number;
  readonly share: number; // of profiledRunMeanMs
}

/** One sample of the machine during a profile, taken by the parent process, never the worker. */
export interface SystemSample {
  readonly epochMs: number; // wall clock, to align with the runs' epochMs
  readonly cpuLoadPerCore: readonly number[]; // percent busy since the previous sample, 0..100
  readonly workerRssBytes: number | null; // resident memory of the inference worker
  readonly systemUsedBytes: number; // memory in use machine-wide (total - available)
  readonly temperatureC: number | null; // CPU package temperature where readable (null in most VMs)
}

/** System load and memory sampled while the model ran: every 20 ms over the first second, then every `intervalMs`. */
export interface SystemTrace {
  readonly intervalMs: number;
  readonly memoryTotalBytes: number;
  readonly samples: readonly SystemSample[];
}

/** One hardware or software event counted over the profiled runs. */
export interface CounterValue {
  readonly event: string; // perf's name: cache-references, cache-misses, LLC-load-misses, instructions, cycles...
  readonly value: number | null; // null when the event is not supported here
  readonly unit: string; // '' for plain counts, 'msec' for task-clock
}

/** Hardware counters of the worker during the profiled runs, or why there are none. */
export interface HardwareCounters {
  readonly available: boolean; // true when at least one hardware event was counted
  readonly reason: string | null; // why hardware counters are missing, as a sentence with the fix
  readonly tool: string; // 'perf stat' or 'none'
  readonly values: readonly CounterValue[];
  readonly instructionsPerCycle: number | null;
  readonly cacheMissRate: number | null; // cache-misses / cache-references, 0..1
}

/** This machine's measured ceilings, with the thread count they were measured at. */
export interface Ceilings {
  readonly peakGflops: number; // from a large float32 MatMul
  readonly memBandwidthGBs: number; // from a streaming element-wise op on arrays far larger than L3
  readonly threads: number;
  readonly measuredAt: string; // ISO 8601; ceilings are cached per machine, threads and onnxruntime version
  /** int8 compute ceiling from a large MatMulInteger (int8 ops/s); absent in reports before 2026-11. */
  readonly peakInt8Gops?: number;
  /** CPU used by other processes while the ceilings were measured, % of all cores. */
  readonly otherCpuPercent?: number | null;
  /** True when the machine stayed busy while they were measured: they may be low and were not cached. */
  readonly busy?: boolean;
  /** Ceilings a profiled layer went past, raised to what it reached, with the layer and when. */
  readonly raised?: readonly CeilingRaise[];
}

/** A ceiling raised because a layer of a profile beat it. */
export interface CeilingRaise {
  readonly ceiling: 'peakGflops' | 'peakInt8Gops' | 'memBandwidthGBs';
  readonly from: number;
  readonly to: number;
  readonly layer: string; // the layer's name
  readonly at: string; // ISO 8601
}

/** What Strata measured of a machine and keeps for every profile (`strata ceilings`, the app's Re-measure). */
export interface MachineMeasurement {
  readonly device: DeviceInfo; // caches checked against the staircase, which is in device.memoryHierarchy
  readonly ceilings: Ceilings;
  readonly notes: readonly string[];
}

/** Where one layer sits under the roofline. */
export interface RooflinePoint {
  readonly layer: number; // index into `layers`
  readonly intensity: number; // FLOPs per byte of working set
  readonly achievedGflops: number;
  readonly roofGflops: number; // min(peak, bandwidth × intensity)
  readonly boundBy: 'compute' | 'memory';
  readonly efficiency: number; // achieved / roof, 0..1 (can exceed 1 when caches beat DRAM bandwidth)
  /** Which compute roof applies: int8 kernels (MatMulInteger, ConvInteger, QLinear*) sit under the int8 one. */
  readonly precision?: 'float' | 'int8';
}

/** The roofline of this run: the machine's ceilings and every layer with FLOPs placed under them. */
export interface Roofline extends Ceilings {
  readonly ridgeIntensity: number; // FLOPs/byte where the two roofs meet
  readonly points: readonly RooflinePoint[];
}

/** Cold start against steady state: the first run of a fresh session and each layer's share of it. */
export interface ColdStart {
  readonly coldMs: number; // first run of the timing session (= latency.coldMs)
  readonly warmP50Ms: number; // steady state (= latency.p50Ms)
  readonly profiledColdMs: number; // first run of the profiled session, profiler on
  /** Per layer: its time in that first profiled run against its warm mean. */
  readonly layers: readonly { readonly layer: number; readonly coldUs: number; readonly warmUs: number }[];
}

/** One answer to "why is this slower?": what costs time, which layers, how much, and the fix. */
export interface Diagnostic {
  readonly kind:
    'ep-fallback' | 'ep-inserted' | 'unfused-qdq' | 'dynamic-quantize' | 'no-int8-dot' | 'float-layers' | 'int8-slower';
  readonly layers: readonly string[];
  /** Per run, the layers' own time summed (medians over the profiled runs); in a comparison, scaled to the interleaved p50. */
  readonly timeUs: number;
  /**
   * Share of this model's run time the layers take, 0..1: their own time over a profiled run's
   * median wall time (or the summed layer time where larger). Each diagnostic's share stands alone;
   * two diagnostics can name the same layer, so shares of different kinds are not summed.
   */
  readonly timeShare: number;
  /**
   * In a comparison where this model is slower than the baseline at the interleaved p50: the part
   * of that difference this diagnostic's added time explains, 0..1. The diagnostics of one model
   * count disjoint time, so these add up to at most 1.
   */
  readonly slowdownShare?: number;
  readonly message: string; // a sentence with the numbers
  readonly fix: string;
}

/** One execution provider's part of a profile: how many layers it ran and their share of the time. */
export interface ProviderShare {
  readonly name: string; // CPUExecutionProvider, WebGpuExecutionProvider...
  readonly nodes: number; // layers it ran (top-level and nested)
  readonly timeUs: number; // their own time per run (medians over the profiled runs)
  readonly timeShare: number; // of a profiled run's median wall time (or the summed layer time where larger), 0..1
}

/**
 * The silent-fallback alarm: where a non-CPU EP was asked for first, the layers that ran elsewhere.
 * `line` reads "WebGPU ran 212 of 240 nodes, 41% of the run time; 28 nodes fell back to CPU (9%);
 * 50% in no node (waiting on the GPU, copies, session overhead)": shares of the run's wall time.
 */
export interface Fallback {
  readonly chosen: string; // the provider asked for first
  readonly line: string;
  readonly layers: readonly string[]; // names of the layers that ran on another provider
  /** Share of the run's wall time in no node: waiting on the GPU, copies, session overhead (absent in older reports). */
  readonly unattributedShare?: number;
}

/** The product of one profile. */
export interface Report {
  readonly schemaVersion: number;
  readonly strataVersion: string;
  readonly createdAt: string; // ISO 8601
  readonly model: ReportModel;
  readonly device: DeviceInfo;
  readonly settings: ReportSettings;
  readonly eps: {
    readonly requested: readonly EpName[];
    readonly used: readonly string[]; // providers seen in the profile
  };
  readonly notes: readonly string[]; // decisions and fallbacks the user should know of
  readonly session: SessionTimes;
  readonly latency: LatencyStats;
  readonly profiledRunMeanMs: number; // mean wall time of profiled runs (profiler on)
  readonly overhead: Overhead;
  readonly layers: readonly LayerStats[];
  readonly opTypes: readonly OpTypeStats[];
  readonly runs: readonly ProfiledRun[];
  /** Wall clock (epoch ms) when the profiled session was created: places `runs` on the samples' clock. */
  readonly profiledStartEpochMs?: number;
  readonly memory: MemoryStats;
  readonly system?: SystemTrace;
  readonly counters?: HardwareCounters;
  readonly roofline?: Roofline;
  readonly coldStart?: ColdStart;
  /** Nodes and time per execution provider (absent in reports before 2026-11). */
  readonly providers?: readonly ProviderShare[];
  /** Set when a non-CPU provider was asked for first (absent in older reports, and on CPU-only plans). */
  readonly fallback?: Fallback;
  /** Why this model is slower than it could be: EP fallbacks, inserted copies, unfused Q/DQ... */
  readonly diagnostics?: readonly Diagnostic[];
}
