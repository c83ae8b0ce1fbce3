/** The prompt-lengths field of the generation settings, read as the user types it. */

/**
 * "32, 8,8" as the sorted distinct lengths [8, 32]; null while one is not a whole number of at least
 * 1 (an empty field, a trailing comma), so the Run buttons wait for a list that means something.
 */
export function parsePromptLengths(text: string): number[] | null {
  const list = text.split(',').map((x) => (x.trim() === '' ? NaN : Number(x.trim())));
  if (!list.every((n) => Number.isInteger(n) && n >= 1)) return null;
  return [...new Set(list)].sort((a, b) => a - b);
}
