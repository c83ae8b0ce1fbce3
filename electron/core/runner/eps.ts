/**
 * Which execution providers exist on this machine, and which actually work: onnxruntime-node's list
 * of what its binary contains, platform knowledge of what it could contain, and a trial session on
 * each candidate in a worker (a GPU driver that crashes costs only that worker).
 */
import type { EpInfo } from '../../../shared/eps.js';
import { StrataError } from '../../../shared/errors.js';
import type { EpName } from '../../../shared/plan.js';
import { NO_WEBGPU_ADAPTER, ortMessageTail } from './session-options.js';
import { probeEps } from './worker-client.js';

interface EpFacts {
  readonly name: EpName;
  readonly label: string;
  readonly kind: EpInfo['kind'];
  /** Why it is missing from this build, and what to do, when it is. */
  readonly missing: string;
}

const INSTALL_CUDA =
  'Install it with `npx onnxruntime-node-install cuda12` on a machine with CUDA 12 (Linux x64 or Windows).';

function knownEps(platform: NodeJS.Platform, arch: string): EpFacts[] {
  const plugin = 'is in no prebuilt onnxruntime-node binary, and plugin EPs cannot be registered from Node.';
  return [
    { name: 'cpu', label: 'CPU', kind: 'cpu', missing: 'The CPU EP is always built in.' },
    {
      name: 'webgpu',
      label: 'WebGPU',
      kind: 'gpu',
      missing:
        platform === 'linux' && arch === 'arm64'
          ? 'WebGPU is not in onnxruntime-node for Linux arm64.'
          : 'WebGPU is not in this onnxruntime-node build.',
    },
    {
      name: 'cuda',
      label: 'CUDA',
      kind: 'gpu',
      missing: `CUDA is not in this onnxruntime-node build. ${INSTALL_CUDA}`,
    },
    {
      name: 'tensorrt',
      label: 'TensorRT',
      kind: 'gpu',
      missing: `TensorRT is not in this onnxruntime-node build. ${INSTALL_CUDA} TensorRT itself must be installed too.`,
    },
    { name: 'dml', label: 'DirectML', kind: 'gpu', missing: 'DirectML exists only in onnxruntime-node for Windows.' },
    {
      name: 'coreml',
      label: 'CoreML (CPU, GPU, Neural Engine)',
      kind: 'npu',
      missing: 'CoreML exists only in onnxruntime-node for macOS on Apple silicon.',
    },
    { name: 'qnn', label: 'QNN (Qualcomm NPU)', kind: 'npu', missing: `QNN ${plugin}` },
    { name: 'openvino', label: 'OpenVINO', kind: 'npu', missing: `OpenVINO ${plugin}` },
  ];
}

let cached: Promise<EpInfo[]> | null = null;

/**
 * Every EP onnxruntime-node knows on this platform, whether it works here, and why not. Cached per
 * process; `refresh` probes again (a driver may have been installed since).
 */
export function listExecutionProviders(options: { refresh?: boolean } = {}): Promise<EpInfo[]> {
  if (options.refresh) cached = null;
  cached ??= detect().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function detect(): Promise<EpInfo[]> {
  // The worker lists what the binary has and tries each, so this process never loads onnxruntime.
  // `bundled: false` (cuda, tensorrt on Linux x64) means the binding can load the EP, but its
  // libraries come from the opt-in download: the trial session tells whether they are there.
  const { results, backends } = await probeEps(null);
  const bundled = new Set(['cpu', ...backends.filter((b) => b.bundled).map((b) => b.name)]);
  const facts = knownEps(process.platform, process.arch);
  return facts.map((f): EpInfo => {
    const info = (inBinary: boolean, reason: string | null): EpInfo => ({
      name: f.name,
      label: f.label,
      kind: f.kind,
      inBinary,
      usable: reason === null,
      reason,
      detail: null,
    });
    const probe = results.find((r) => r.ep === f.name);
    if (probe?.ok) return info(true, null);
    const libraryMissing =
      !probe || /Failed to load (shared )?library|cannot open shared object/i.test(probe.error ?? '');
    if (!bundled.has(f.name) && libraryMissing) return info(false, f.missing);
    return info(true, explainProbeFailure(f.name, probe?.error ?? 'no answer'));
  });
}

function explainProbeFailure(ep: EpName, error: string): string {
  if (ep === 'webgpu' && /adapter/i.test(error)) return NO_WEBGPU_ADAPTER;
  return `A trial session on ${ep} failed: "${ortMessageTail(error).slice(0, 200)}".`;
}

/** Names of the EPs that work on this machine (probed once per process); ['cpu'] if probing fails. */
export async function usableEpNames(): Promise<EpName[]> {
  try {
    return (await listExecutionProviders()).filter((ep) => ep.usable).map((ep) => ep.name);
  } catch {
    return ['cpu'];
  }
}

/** Throws EP_UNAVAILABLE for the first requested EP that cannot run here, with the reason. */
export async function assertEpsUsable(eps: readonly EpName[]): Promise<void> {
  if (eps.length === 0)
    throw new StrataError('BAD_ARGUMENT', 'No execution provider was chosen. Pick at least one, e.g. --ep cpu.');
  if (eps.every((ep) => ep === 'cpu')) return; // always there; no need to start a probe worker
  let all = await listExecutionProviders();
  // A cached "unusable" may be stale (a driver installed, an environment changed): probe once more.
  if (eps.some((ep) => all.find((i) => i.name === ep && i.inBinary && !i.usable)))
    all = await listExecutionProviders({ refresh: true });
  for (const ep of eps) {
    const info = all.find((i) => i.name === ep);
    if (info && !info.usable)
      throw new StrataError(
        'EP_UNAVAILABLE',
        `The ${info.label} execution provider is not available here. ${info.reason}`,
      );
  }
}
