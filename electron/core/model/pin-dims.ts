/**
 * Fixes symbolic input dims in the model itself. onnxruntime-node 1.30 silently ignores
 * `freeDimensionOverrides`, so the only way to run `[batch, 3, H, W]` at 1×3×224×224 is to write
 * dim_value into the graph input and create the session from the rewritten bytes.
 */
import { StrataError } from '../../../shared/errors.js';
import { decodeModel, encodeModel, type OnnxDim } from './onnx-proto.js';

/**
 * Returns model bytes whose graph inputs named in `shapes` have exactly those dims. Fixed dims
 * must agree; a wrong rank or an unknown input name is a BAD_SHAPE error naming what is valid.
 * Returns `bytes` itself when `shapes` is empty.
 */
export function pinInputShapes(bytes: Uint8Array, shapes: Readonly<Record<string, readonly number[]>>): Uint8Array {
  const names = Object.keys(shapes);
  if (names.length === 0) return bytes;
  const model = decodeModel(bytes);
  const inputs = new Map(model.graph.inputs.map((v) => [v.name, v]));
  for (const name of names) {
    const input = inputs.get(name);
    const shape = shapes[name]!;
    if (!input) {
      throw new StrataError(
        'BAD_SHAPE',
        `The model has no input named "${name}". Its inputs are: ${[...inputs.keys()].map((n) => `"${n}"`).join(', ')}.`,
      );
    }
    const tensor = input.type?.tensor;
    if (!tensor) throw new StrataError('BAD_SHAPE', `Input "${name}" is not a tensor, so it has no shape to set.`);
    const current = tensor.shape;
    if (current && current.length !== shape.length) {
      throw new StrataError(
        'BAD_SHAPE',
        `Input "${name}" has ${current.length} dims [${current.map(describeDim).join(', ')}] but the shape given has ` +
          `${shape.length}: [${shape.join(', ')}].`,
      );
    }
    current?.forEach((dim, i) => {
      if ('value' in dim && dim.value !== shape[i] && (dim.value as number) > 0) {
        throw new StrataError(
          'BAD_SHAPE',
          `Input "${name}" dim ${i} is fixed at ${dim.value as number} in the model, but the shape given sets it to ${shape[i]}.`,
        );
      }
    });
    tensor.shape = shape.map((value): OnnxDim => ({ value }));
  }
  return encodeModel(model);
}

function describeDim(dim: OnnxDim): string {
  if ('value' in dim) return String(dim.value);
  if ('param' in dim) return String(dim.param);
  return '?';
}
