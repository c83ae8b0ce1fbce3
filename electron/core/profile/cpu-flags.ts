/**
 * The CPU's int8 dot-product instructions, which onnxruntime's int8 kernels (ConvInteger, QLinearConv,
 * DynamicQuantizeMatMul...) need to beat float: x86 AVX-VNNI / AVX512-VNNI (and AMX), Arm dot-product
 * (asimddp) or i8mm. Without them an int8 model is often slower than its float original.
 */
import { readFileSync } from 'node:fs';

/** What the report records. */
export interface Int8Dot {
  readonly supported: boolean | null;
  readonly instructions: readonly string[];
  readonly source: string;
}

const X86 = ['avx_vnni', 'avx512_vnni', 'avx512vnni', 'avx_vnni_int8', 'amx_int8'];
const ARM = ['asimddp', 'i8mm', 'svei8mm'];

/** Reads the flags from the text of /proc/cpuinfo (x86 "flags", Arm "Features"). */
export function int8DotFromCpuinfo(cpuinfo: string): Int8Dot {
  const line = /^(flags|Features)\s*:(.*)$/m.exec(cpuinfo);
  if (!line) return { supported: null, instructions: [], source: '/proc/cpuinfo (no flags line)' };
  const flags = new Set(line[2]!.trim().split(/\s+/));
  const instructions = [...X86, ...ARM].filter((f) => flags.has(f));
  return { supported: instructions.length > 0, instructions, source: '/proc/cpuinfo' };
}

/** This machine's int8 dot-product support. */
export function readInt8Dot(platform = process.platform, arch = process.arch): Int8Dot {
  if (platform === 'linux') {
    try {
      return int8DotFromCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      return { supported: null, instructions: [], source: '/proc/cpuinfo unreadable' };
    }
  }
  // Every Apple silicon core has the Armv8.4 dot-product instructions.
  if (platform === 'darwin' && arch === 'arm64')
    return { supported: true, instructions: ['asimddp'], source: 'Apple silicon' };
  return { supported: null, instructions: [], source: `not read on ${platform}` };
}
