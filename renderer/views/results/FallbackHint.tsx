/** One line under the flame graph and the timeline saying how fallen-back layers are drawn. */
import { providerLabel } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';

/** The hint, or nothing when no layer fell back. */
export function FallbackHint({ report }: { readonly report: Report }) {
  const n = report.fallback?.layers.length ?? 0;
  if (!report.fallback || n === 0) return null;
  return (
    <p className="hint fallback-mark">
      ⚠ {n} layer{n === 1 ? '' : 's'} fell back from {providerLabel(report.fallback.chosen)}: outlined in red, dashed,
      and drawn at least 4 px wide.
    </p>
  );
}
