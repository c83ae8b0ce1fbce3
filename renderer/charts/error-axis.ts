/**
 * The log axis of output error (1 − cosine) shared by the Pareto and drift charts. An exact copy has
 * error 0, which a log axis cannot show, so zeros sit on a floor one decade under the smallest
 * non-zero error and read "identical".
 */
import { axisStyle, type ChartTheme } from './theme.js';

/** The floor zeros are drawn at: a decade under the smallest positive error (1e-9 when none is). */
export function errorFloor(errors: readonly number[]): number {
  const positive = errors.filter((e) => e > 0 && Number.isFinite(e));
  if (positive.length === 0) return 1e-9;
  return 10 ** (Math.floor(Math.log10(Math.min(...positive))) - 1);
}

/** Where an error is drawn: itself, or the floor for zero. */
export function plottedError(error: number, floor: number): number {
  return error > 0 ? error : floor;
}

/** "identical", "3.2e-5", "0.058": 1 − cosine at a readable precision. */
export function formatError(error: number): string {
  if (!Number.isFinite(error)) return '–';
  if (error <= 0) return 'identical';
  return error >= 0.01 ? error.toPrecision(2) : error.toExponential(1).replace('e-', 'e−');
}

/**
 * The y axis of error: log scale from a decade under the floor (so exact points clear the x axis)
 * to the decade above the largest error (so none sits on the top edge).
 */
export function errorAxis(errors: readonly number[], theme: ChartTheme, name: string) {
  const floor = errorFloor(errors);
  const largest = Math.max(floor * 10, ...errors.filter((e) => Number.isFinite(e)));
  const axis = axisStyle(theme);
  return {
    ...axis,
    type: 'log' as const,
    name,
    nameTextStyle: { ...axis.nameTextStyle, align: 'left' as const },
    min: floor / 10,
    // A tick every decade (in exponent units): left alone, ECharts jumps to one tick per ten decades past nine.
    interval: 1,
    max: 10 ** (Math.floor(Math.log10(largest)) + 1),
    axisLabel: {
      ...axis.axisLabel,
      hideOverlap: true,
      formatter: (v: number) => (v < floor * 0.999 ? '' : v <= floor * 1.001 ? 'identical' : formatError(v)),
    },
  };
}
