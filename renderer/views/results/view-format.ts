/** Small formatters only the results views need (the shared ones live in shared/format.ts). */

/** A rate of inferences: "12.3 /s" with sensible precision (the card's hint says what is counted). */
export function formatThroughput(perSec: number): string {
  if (!Number.isFinite(perSec)) return '–';
  return `${perSec >= 100 ? perSec.toFixed(0) : perSec >= 10 ? perSec.toFixed(1) : perSec.toFixed(2)} /s`;
}

/** A whole count with thousands separators: "1,200 layers". */
export function formatWhole(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}`;
}

/**
 * A value with each number kept on one line with its unit ("457 GFLOP/s" never wraps before the
 * unit in a narrow card); the rest wraps as usual. Returns the parts: strings that may wrap and
 * [number-with-unit] pairs that may not.
 */
export function unitRuns(value: string): (string | [string])[] {
  const parts: (string | [string])[] = [];
  let last = 0;
  for (const match of value.matchAll(/\d[\d.,]*\s\S+/g)) {
    if (match.index > last) parts.push(value.slice(last, match.index));
    parts.push([match[0]]);
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push(value.slice(last));
  return parts;
}
