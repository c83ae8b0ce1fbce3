/**
 * Labels that fit their box: cut in the middle ("If_0_then…Inline_0/Conv"), so both the start of
 * a name and its distinguishing end stay readable, as speedscope does.
 */

import { cutMiddle } from '../../../shared/format.js';

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
