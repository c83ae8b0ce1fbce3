/**
 * Labels that fit their box: cut in the middle ("If_0_then…Inline_0/Conv"), so both the start of
 * a name and its distinguishing end stay readable, as speedscope does.
 */

/** The ellipsis put where characters were cut. */
export const ELLIPSIS = '…';

/** `text` with its middle replaced by an ellipsis so that `keep` characters remain. */
export function cutMiddle(text: string, keep: number): string {
  if (text.length <= keep) return text;
  if (keep <= 1) return ELLIPSIS;
  const head = Math.ceil((keep - 1) / 2);
  const tail = keep - 1 - head;
  return text.slice(0, head) + ELLIPSIS + (tail > 0 ? text.slice(text.length - tail) : '');
}

/**
 * The longest middle-cut form of `text` whose measured width is at most `maxPx`, or null when not
 * even two characters and the ellipsis fit. `measure` is cached by the caller (canvas measureText).
 */
export function elideMiddle(text: string, maxPx: number, measure: (s: string) => number): string | null {
  if (measure(text) <= maxPx) return text;
  // Binary search on the number of characters kept: width grows with it.
  let lo = 2;
  let hi = text.length - 1;
  if (hi < lo || measure(cutMiddle(text, lo + 1)) > maxPx) return null;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(cutMiddle(text, mid + 1)) <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return cutMiddle(text, lo + 1);
}
