/** What the run-settings fields accept: input values and shapes, as typed, read into the plan. */
import type { TensorInfo } from '../../../shared/model.js';
import type { InputSource } from '../../../shared/plan.js';

/** What a draft text means: the plan value's canonical text, or why the text is not one. */
export type Parsed =
  { readonly ok: true; readonly canonical: string } | { readonly ok: false; readonly problem: string };

/** An input's value as its field shows it. */
export function inputValue(source: InputSource | undefined): string {
  if (!source || source.kind === 'random') return 'random';
  if (source.kind === 'zeros') return 'zeros';
  if (source.kind === 'scalar') return String(source.value);
  return source.path;
}

/** An input's value as typed: random (or nothing), zeros, or one number for every element. */
export function parseInputValue(text: string, current: InputSource | undefined): Parsed {
  const t = text.trim();
  if (t === '' || t === 'random') return { ok: true, canonical: 'random' };
  if (t === 'zeros') return { ok: true, canonical: 'zeros' };
  if (current?.kind === 'file' && t === current.path) return { ok: true, canonical: t };
  if (Number.isFinite(Number(t))) return { ok: true, canonical: String(Number(t)) };
  return { ok: false, problem: `"${t}" is not random, zeros or a number.` };
}

/**
 * An input's shape as typed ("1x3x224x224"), checked against the dims the model fixes. Left empty,
 * its unnamed dims are 1: fine for a batch dim in front, not for any other (a 1-sample audio clip
 * is not a clip), so such a shape must be given.
 */
export function parseShape(text: string, input: TensorInfo): Parsed {
  const t = text.trim();
  const model = input.dims;
  if (t === '') {
    const unguessable = (model ?? []).flatMap((d, i) =>
      i > 0 && (d === null || (typeof d === 'number' && d <= 0)) ? [i] : [],
    );
    return unguessable.length === 0
      ? { ok: true, canonical: '' }
      : {
          ok: false,
          problem: `Set the shape of ${input.name}: its dim${unguessable.length > 1 ? 's' : ''} ${unguessable.join(', ')} ha${unguessable.length > 1 ? 've' : 's'} no name and no default that fits.`,
        };
  }
  const dims = t.split(/\s*[x×,]\s*/).map(Number);
  if (!dims.every((d) => Number.isInteger(d) && d > 0))
    return { ok: false, problem: `"${t}" is not a shape like 1x3x224x224.` };
  if (model && dims.length !== model.length)
    return { ok: false, problem: `${input.name} has ${model.length} dims, not ${dims.length}.` };
  const clash = model?.findIndex((d, i) => typeof d === 'number' && d > 0 && d !== dims[i]) ?? -1;
  if (clash >= 0) return { ok: false, problem: `Dim ${clash} of ${input.name} is fixed at ${String(model![clash])}.` };
  return { ok: true, canonical: dims.join('x') };
}
