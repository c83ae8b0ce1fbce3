/**
 * The "Cache & memory" section of `strata profile`'s summary: the caches, how many layers fit each
 * level, the roofline ceilings and the layers furthest under them, cold against warm, and the
 * hardware counters or why there are none. Pure: report in, lines out.
 */
import {
  formatBytes,
  formatCacheLevels,
  formatGflops,
  formatGops,
  formatMs,
  formatShare,
  formatUs,
} from '../../shared/format.js';
import { hierarchyLevels } from '../../shared/memory-hierarchy.js';
import type { CacheLevel, Report, RooflinePoint } from '../../shared/report.js';
import { containerNames, ownTimesUs } from '../../shared/layer-time.js';

const LEVELS: readonly CacheLevel[] = ['L1', 'L2', 'L3', 'DRAM'];

/**
 * The `count` least efficient of the heavy layers on the roofline: of the ten slowest layers with a
 * roofline point, those furthest under their roof. Light layers are left out: a 2 µs Add at 5% of its
 * roof is not worth anyone's time.
 */
export function leastEfficientHeavy(report: Report, count = 3): RooflinePoint[] {
  const points = report.roofline?.points ?? [];
  const meanUs = (p: RooflinePoint) => report.layers[p.layer]?.meanUs ?? 0;
  // Kernels inside an If count like any other (Silero's convolutions all run in one); a container
  // itself has no FLOPs and its time is its subgraph's.
  const containers = containerNames(report.layers);
  return [...points]
    .filter((p) => !containers.has(report.layers[p.layer]?.name ?? ''))
    .sort((a, b) => meanUs(b) - meanUs(a))
    .slice(0, 10)
    .sort((a, b) => a.efficiency - b.efficiency)
    .slice(0, count);
}

/** The section's lines, starting with its title. */
export function formatCacheSummary(report: Report): string[] {
  const lines = ['Cache & memory'];
  const { gpus, usableEps } = report.device;
  if (gpus !== undefined || usableEps !== undefined) {
    const gpuText =
      gpus === undefined
        ? 'not recorded'
        : gpus.length === 0
          ? 'none listed by the OS'
          : gpus.map((g) => `${g.vendor} ${g.model}`).join('; ');
    lines.push(
      `  machine   ${report.device.cores} cores, ${formatBytes(report.device.memoryBytes)}; GPUs: ${gpuText}; usable EPs: ${usableEps?.join(', ') ?? 'not recorded'}`,
    );
  }
  const caches = report.device.caches;
  lines.push(
    caches
      ? `  caches    ${formatCacheLevels(caches)}, one core`
      : '  caches    unknown on this machine: layers are not placed in a cache level',
  );
  const hierarchy = report.device.memoryHierarchy;
  if (hierarchy) {
    const levels = hierarchyLevels(hierarchy, caches);
    lines.push(
      `  memory    ${levels.map((l) => `${l.name} ${l.latencyNs.toFixed(1)} ns ${Math.round(l.bandwidthGBs)} GB/s`).join('  ')}` +
        ` (load latency and copy bandwidth, measured ${hierarchy.measuredAt.slice(0, 10)}${hierarchy.busy ? ' on a busy machine' : ''})`,
    );
  }

  // Own time, over every layer: an If's total would put its subgraph's time at the If's working set.
  const own = ownTimesUs(report.layers);
  const perLevel = LEVELS.map((level) => {
    const at = report.layers.map((l, i) => ({ l, us: own[i]! })).filter(({ l }) => l.cacheLevel === level);
    return { level, count: at.length, us: at.reduce((s, x) => s + x.us, 0) };
  });
  const totalUs = perLevel.reduce((s, l) => s + l.us, 0);
  if (perLevel.some((l) => l.count > 0)) {
    lines.push(
      '  fits in   ' +
        perLevel
          .map(
            (l) =>
              `${l.level} ${l.count} layer${l.count === 1 ? '' : 's'}` +
              (l.us > 0 && totalUs > 0 ? ` (${formatUs(l.us)}, ${formatShare(l.us / totalUs)})` : ''),
          )
          .join('  '),
    );
  }

  const roof = report.roofline;
  if (roof) {
    const memory = roof.points.filter((p) => p.boundBy === 'memory').length;
    lines.push(
      `  roofline  peak ${formatGflops(roof.peakGflops)}${roof.peakInt8Gops ? ` (int8 ${formatGops(roof.peakInt8Gops)})` : ''}  memory ${roof.memBandwidthGBs.toFixed(1)} GB/s  ridge ${roof.ridgeIntensity.toFixed(1)} FLOP/byte` +
        `  at ${roof.threads} threads (measured ${roof.measuredAt}${roof.busy ? `, machine busy: ${roof.otherCpuPercent ?? '?'}% CPU used by others` : ''})`,
      `            ${memory} memory-bound, ${roof.points.length - memory} compute-bound of ${roof.points.length} layers with FLOPs`,
    );
    const worst = leastEfficientHeavy(report);
    if (worst.length) {
      lines.push('  furthest under the roof (of the 10 slowest layers):');
      for (const p of worst) {
        const layer = report.layers[p.layer]!;
        lines.push(
          `    ${shortName(layer.name)}  ${layer.opType}  ${formatUs(layer.meanUs)}  ${formatGflops(p.achievedGflops)} of ${formatGflops(p.roofGflops)}` +
            ` (${formatShare(p.efficiency)}, ${p.boundBy}-bound, ${p.intensity.toFixed(2)} FLOP/byte)`,
        );
      }
    }
  } else {
    lines.push('  roofline  not measured (CPU execution provider only)');
  }

  const cs = report.coldStart;
  const cold = cs?.coldMs ?? report.latency.coldMs;
  const warm = cs?.warmP50Ms ?? report.latency.p50Ms;
  lines.push(
    `  cold      first run ${formatMs(cold)} against warm p50 ${formatMs(warm)}` +
      (warm > 0 ? ` (${(cold / warm).toFixed(1)}×)` : '') +
      (cs ? `; profiled first run ${formatMs(cs.profiledColdMs)}` : ''),
  );
  const slowest = cs ? [...cs.layers].sort((a, b) => b.coldUs - b.warmUs - (a.coldUs - a.warmUs))[0] : undefined;
  if (slowest && slowest.coldUs > slowest.warmUs) {
    lines.push(
      `            most slowed: ${shortName(report.layers[slowest.layer]?.name ?? `#${slowest.layer}`)} ${formatUs(slowest.coldUs)} cold against ${formatUs(slowest.warmUs)} warm`,
    );
  }

  const counters = report.counters;
  if (!counters) lines.push('  counters  not counted');
  else if (!counters.available) lines.push(`  counters  unavailable: ${counters.reason ?? 'no hardware events here.'}`);
  else {
    const parts = [
      counters.instructionsPerCycle !== null ? `IPC ${counters.instructionsPerCycle.toFixed(2)}` : null,
      counters.cacheMissRate !== null ? `cache misses ${formatShare(counters.cacheMissRate)} of references` : null,
      ...counters.values
        .filter((v) => v.value !== null)
        .map((v) => `${v.event} ${Math.round(v.value!).toLocaleString('en-US')}${v.unit ? ' ' + v.unit : ''}`),
    ].filter(Boolean);
    lines.push(`  counters  ${parts.join('  ')} (${counters.tool})`);
  }
  return lines;
}

const MAX_NAME = 40;

// Long node names keep their tail, where the op and its module are.
function shortName(name: string): string {
  return name.length > MAX_NAME ? '…' + name.slice(name.length - MAX_NAME + 1) : name;
}
