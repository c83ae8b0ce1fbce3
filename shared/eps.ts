/** What Strata knows about each execution provider on this machine. */
import type { EpName } from './plan.js';

/** One execution provider: whether it can run here, and if not, why and what to do. */
export interface EpInfo {
  readonly name: EpName;
  readonly label: string; // "CPU", "WebGPU", "CoreML (Neural Engine)"
  readonly kind: 'cpu' | 'gpu' | 'npu';
  readonly inBinary: boolean; // shipped in this onnxruntime-node build
  readonly usable: boolean; // a trial session on it succeeded
  readonly reason: string | null; // why it is not usable, as a sentence with the fix
  readonly detail: string | null; // e.g. the adapter a GPU EP found
}
