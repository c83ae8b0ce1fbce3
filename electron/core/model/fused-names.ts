/**
 * onnxruntime renames the nodes its graph optimizer fuses: "/a/MatMul" plus its bias Add becomes
 * "/a/MatMul/MatMulAddFusion" (a Gemm), a scaled MatMul "/s/MatMul/MatMulScaleFusion/", some CPU
 * fusions "fused /a/Conv". The original name is still inside; the profiler, the variant matcher and
 * the module paths all need it back.
 */

/** The node name a layer came from: "fused /a/MatMul/MatMulAddFusion" -> "/a/MatMul". */
export function originName(name: string): string {
  return name
    .replace(/^fused /, '')
    .replace(/\/+$/, '')
    .replace(/(\/[A-Za-z]*Fusion[^/]*)+$/, '');
}

/** The fusion suffixes of a layer name, e.g. ["MatMulAddFusion"]; empty for an unfused node. */
export function fusionSuffixes(name: string): string[] {
  const origin = originName(name);
  const rest = name
    .replace(/^fused /, '')
    .replace(/\/+$/, '')
    .slice(origin.length);
  return rest.split('/').filter(Boolean);
}
