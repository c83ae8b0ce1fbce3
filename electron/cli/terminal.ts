/**
 * Text bound for a terminal. Much of what the CLI prints comes from the model (node, tensor and
 * input names, producer strings, file names): a name holding an escape sequence could forge a
 * `strata: error:` line, retitle the terminal or hide text, and a megabyte-long name would print a
 * megabyte-long line. Everything the CLI prints that holds such text goes through here.
 */

// C0 controls but newline and tab, DEL, C1 controls, and the bidirectional overrides.
// eslint-disable-next-line no-control-regex -- these are the characters it exists to replace
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONG_WORD = 160; // longer runs of non-spaces are shortened in the middle

/** `text` with control characters shown as \u escapes, long words shortened and lines capped at `maxLine`. */
export function terminalSafe(text: string, maxLine = 2000): string {
  return text
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .split('\n')
    .map((line) => {
      const short = line.replace(
        new RegExp(`\\S{${LONG_WORD + 1},}`, 'g'),
        (w) => `${w.slice(0, 100)}…(${w.length} chars)…${w.slice(-20)}`,
      );
      return short.length > maxLine ? `${short.slice(0, maxLine - 1)}…` : short;
    })
    .join('\n');
}

/** `text` as one safe line: newlines and tabs become spaces. */
export function terminalLine(text: string, maxLine = 1000): string {
  return terminalSafe(text.replace(/[\r\n\t]+/g, ' '), maxLine);
}

/** Fields that hold Strata's own sentences (diagnostics, notes, warnings): cut only far past a name's limit, so the answer they end with survives. */
const SENTENCE_KEYS = new Set(['message', 'fix', 'warning', 'line', 'summary', 'notes', 'detail']);
const SENTENCE_MAX = 4000;

/**
 * A copy of `value` (a report, a comparison) fit for a text summary: no string holds a line break
 * (a node named "x\nstrata: error: ..." must not start a line of its own), and no name is longer
 * than `max` characters (a megabyte-long name would otherwise set the width of a whole table
 * column). Strata's own sentences keep their length (up to SENTENCE_MAX): cutting "…slower than
 * the…(348 chars)" lost the part that answers the question.
 */
export function withoutLineBreaks<T>(value: T, max = 300): T {
  const clip = (v: string, limit: number) => {
    const flat = /[\r\n]/.test(v) ? v.replace(/\r/g, '\\r').replace(/\n/g, '\\n') : v;
    return flat.length > limit ? `${flat.slice(0, limit - 40)}…(${flat.length} chars)…${flat.slice(-20)}` : flat;
  };
  const walk = (v: unknown, sentence: boolean): unknown => {
    if (typeof v === 'string') return clip(v, sentence ? SENTENCE_MAX : max);
    if (Array.isArray(v)) return v.map((item) => walk(item, sentence));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, SENTENCE_KEYS.has(k))]));
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value)), false) as T;
}
