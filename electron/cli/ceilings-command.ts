/**
 * `strata ceilings`: what Strata measured of this machine and keeps for every profile: the caches
 * with their sources, the latency and bandwidth staircase, and the roofline ceilings with when and
 * under what load they were measured. `--remeasure` measures all of it again now.
 */
import { formatBytes, formatCacheLevels, formatGflops, formatGops } from '../../shared/format.js';
import { hierarchyLevels } from '../../shared/memory-hierarchy.js';
import { describeRaise } from '../core/profile/ceilings.js';
import type { MachineMeasurement } from '../../shared/report.js';
import { measureMachine } from '../core/profile/machine.js';
import { profileModel } from '../core/profile/profiler.js';
import { parseStrict, usage } from './args.js';
import { createProgressReporter } from './progress-bar.js';

/** Runs `strata ceilings`; returns the exit code. */
export async function runCeilingsCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    remeasure: { type: 'boolean' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw usage(`Unexpected argument "${positionals[0]}": strata ceilings takes only options. See --help.`);
  const threads = values.threads === undefined ? 0 : Number(values.threads);
  if (values.threads !== undefined && (!Number.isInteger(threads) || threads < 1))
    throw usage(`--threads takes a whole number of threads, 1 or more (got "${values.threads}").`);
  const progress = createProgressReporter();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const measurement = await measureMachine(
      (path, plan, options) =>
        profileModel(path, plan, { ...options, roofline: false, system: false, machineProbe: false }),
      {
        remeasure: values.remeasure,
        threads,
        signal: abort.signal,
        onProgress: (p) => progress.update(p),
      },
    );
    progress.done();
    process.stdout.write(
      values.json ? JSON.stringify(measurement, null, 2) + '\n' : formatMachine(measurement).join('\n') + '\n',
    );
    return 0;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
  }
}

/** The text of `strata ceilings`. Pure: measurement in, lines out. */
export function formatMachine({ device, ceilings, notes }: MachineMeasurement): string[] {
  const lines = [`${device.cpu}: ${device.cores} cores, ${device.threads} threads, ${formatBytes(device.memoryBytes)}`];
  lines.push(
    device.caches
      ? `caches     ${formatCacheLevels(device.caches)}, one core`
      : 'caches     unknown: no source on this machine gives them',
  );
  const h = device.memoryHierarchy;
  if (h) {
    lines.push(
      `staircase  measured ${h.measuredAt} in ${(h.durationMs / 1000).toFixed(1)} s` +
        (h.otherCpuPercent === null
          ? ''
          : `, other programs at ${h.otherCpuPercent}% CPU${h.busy ? ' (busy: measured again when quiet)' : ''}`),
    );
    lines.push(
      `           boundaries in the latency curve: ${h.boundaries.length ? h.boundaries.map(formatBytes).join(', ') : 'none found'}`,
    );
    for (const level of hierarchyLevels(h, device.caches)) {
      lines.push(
        `           ${level.name.padEnd(4)} ${(level.bytes === null ? 'beyond' : `≤ ${formatBytes(level.bytes)}`).padEnd(12)} ${level.latencyNs.toFixed(1).padStart(6)} ns  ${Math.round(level.bandwidthGBs).toString().padStart(5)} GB/s`,
      );
    }
    lines.push('           size        latency  copy bandwidth');
    for (const [i, p] of h.latencyNs.entries()) {
      if (!Number.isInteger(Math.log2(p.bytes))) continue; // one row per octave: the powers of two
      const bw = h.bandwidthGBs[i];
      lines.push(
        `           ${formatBytes(p.bytes).padEnd(11)} ${p.value.toFixed(1).padStart(6)} ns  ${bw ? `${Math.round(bw.value).toString().padStart(5)} GB/s` : ''}`,
      );
    }
  }
  lines.push(
    `ceilings   float32 ${formatGflops(ceilings.peakGflops)}` +
      (ceilings.peakInt8Gops ? `, int8 ${formatGops(ceilings.peakInt8Gops)}` : '') +
      `, memory ${ceilings.memBandwidthGBs.toFixed(1)} GB/s at ${ceilings.threads} threads`,
    `           measured ${ceilings.measuredAt}` +
      (ceilings.otherCpuPercent === undefined || ceilings.otherCpuPercent === null
        ? ''
        : `, other programs at ${ceilings.otherCpuPercent}% CPU${ceilings.busy ? ' (busy: measured again when quiet)' : ''}`),
  );
  for (const raise of ceilings.raised ?? [])
    lines.push(`           raised since: ${describeRaise(raise)} (${raise.at.slice(0, 10)})`);
  for (const note of notes) lines.push(`note: ${note}`);
  return lines;
}
