/** The op-type colours of the flame graph and timeline, for the op types that take the most time. */
import type { Report } from '../../../shared/report.js';
import { opTypeColor, opTypeColors, type ChartTheme } from '../../charts/theme.js';

/** Swatches for the `max` op types with the most time; the rest are named by count. */
export function OpLegend({
  report,
  theme,
  max = 8,
}: {
  readonly report: Report;
  readonly theme: ChartTheme;
  readonly max?: number;
}) {
  const ops = [...report.opTypes].sort((a, b) => (b.ownP50Us ?? b.meanUs) - (a.ownP50Us ?? a.meanUs));
  const shown = ops.slice(0, max);
  const rest = ops.length - shown.length;
  const colors = opTypeColors(report, theme);
  return (
    <ul className="op-legend" aria-label="Op type colours">
      {shown.map((op) => (
        <li key={op.opType}>
          <span
            className="op-swatch"
            style={{ background: colors.get(op.opType) ?? opTypeColor(op.opType, theme) }}
            aria-hidden="true"
          />
          {op.opType}
        </li>
      ))}
      {report.layers.some((l) => l.modulePath) && (
        <li>
          <span className="op-swatch" style={{ background: theme.moduleFill }} aria-hidden="true" />
          module
        </li>
      )}
      {rest > 0 && <li className="muted">+{rest} more op types</li>}
    </ul>
  );
}
