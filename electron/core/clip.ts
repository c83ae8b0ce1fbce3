/**
 * Model-supplied text (node and tensor names, locations) quoted in a message: control characters
 * made visible and the length capped, so a hostile or broken model cannot write escape sequences to
 * a terminal or a megabyte into one line.
 */

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what a line shows.
// eslint-disable-next-line no-control-regex -- these are the characters it exists to replace
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with unsafe characters as \u escapes, cut to `max` characters (with "…" and the length). */
export function clip(text: string, max = 120): string {
  const safe = String(text).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length <= max ? safe : `${safe.slice(0, max - 20)}…(${safe.length} chars)`;
}

/** True when `text` has characters `clip` would escape. */
export function hasUnsafeText(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}
