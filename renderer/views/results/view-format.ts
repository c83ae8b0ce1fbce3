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
