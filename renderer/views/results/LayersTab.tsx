/**
 * Layers: a sortable, filterable table of every layer, virtualised (only the rows in view are in
 * the DOM, so 1,000+ layers scroll smoothly), and a by-op-type view.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatUs } from '../../../shared/format.js';
import type { ContainerTime } from '../../../shared/layer-time.js';
import { containerTimesOf } from '../../view-models/report-memo.js';
import type { Report } from '../../../shared/report.js';
import { useAppStore } from '../../store/index.js';
import { fallbackIndices } from '../../charts/fallback.js';
import { filterAndSortLayers, LAYER_COLUMNS, shortProvider, type LayerSort } from './layer-columns.js';
import { OpTypesTable } from './OpTypesTable.js';
import { formatWhole } from './view-format.js';

const ROW_PX = 30;

/** The Layers tab. */
export function LayersTab({ report }: { readonly report: Report }) {
  const [view, setView] = useState<'layers' | 'ops'>('layers');
  const [filter, setFilter] = useState('');
  // An exact op type picked in the by-op-type view, shown as a chip; apart from the free text.
  const [opType, setOpType] = useState<string | null>(null);
  const [sort, setSort] = useState<LayerSort>({ column: 'share', descending: true });
  const rows = useMemo(() => filterAndSortLayers(report.layers, filter, sort, opType), [report, filter, sort, opType]);

  return (
    <div className="layers">
      <div className="layers-toolbar">
        <div className="segmented" role="group" aria-label="Group layers">
          <button type="button" aria-pressed={view === 'layers'} onClick={() => setView('layers')}>
            Layers
          </button>
          <button type="button" aria-pressed={view === 'ops'} onClick={() => setView('ops')}>
            By op type
          </button>
        </div>
        {view === 'layers' && (
          <>
            {opType !== null && (
              <span className="filter-chip">
                <span>
                  Op type: <strong>{opType}</strong>
                </span>
                <button
                  type="button"
                  aria-label={`Remove the op type filter ${opType}`}
                  title="Show every op type"
                  onClick={() => setOpType(null)}
                >
                  ×
                </button>
              </span>
            )}
            <input
              type="search"
              className="layers-filter"
              placeholder="Filter by name, op type, module or provider"
              aria-label="Filter layers"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            {report.fallback && report.fallback.layers.length > 0 && (
              <button
                type="button"
                className="fallback-filter"
                title={report.fallback.line}
                onClick={() =>
                  setFilter(
                    shortProvider(report.layers.find((l) => report.fallback!.layers.includes(l.name))!.provider),
                  )
                }
              >
                ⚠ {formatWhole(report.fallback.layers.length, 'layers')} fell back
              </button>
            )}
            <span className="muted" aria-live="polite">
              {rows.length === report.layers.length
                ? formatWhole(report.layers.length, 'layers')
                : `${rows.length.toLocaleString('en-US')} of ${formatWhole(report.layers.length, 'layers')}`}
            </span>
          </>
        )}
      </div>
      {view === 'layers' ? (
        <LayerTable report={report} rows={rows} sort={sort} onSort={setSort} />
      ) : (
        <OpTypesTable
          report={report}
          onPick={(picked) => {
            setOpType(picked);
            setView('layers');
          }}
        />
      )}
    </div>
  );
}

interface LayerTableProps {
  readonly report: Report;
  readonly rows: readonly Report['layers'][number][];
  readonly sort: LayerSort;
  readonly onSort: (sort: LayerSort) => void;
}

function LayerTable({ report, rows, sort, onSort }: LayerTableProps) {
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewRows, setViewRows] = useState(30);
  // A loop, not Math.max(...spread): 100,000 arguments overflow the stack.
  const maxShare = useMemo(() => report.layers.reduce((m, l) => Math.max(m, l.share), 1e-12), [report]);
  // If/Loop/Scan layers: their Mean includes the layers of their subgraph; say so where it shows.
  const containers = containerTimesOf(report.layers);
  // The silent-fallback alarm: layers that ran on another EP than the one asked for first.
  const fellBack = useMemo(() => fallbackIndices(report), [report]);

  // Visible row count follows the scroller's height.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setViewRows(Math.ceil(el.clientHeight / ROW_PX) + 1));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A layer selected elsewhere scrolls into view here.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selected === null) return;
    const i = rows.findIndex((l) => l.index === selected);
    if (i < 0) return;
    const top = i * ROW_PX;
    const header = ROW_PX;
    if (top < el.scrollTop || top + ROW_PX > el.scrollTop + el.clientHeight - header) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    }
  }, [selected, rows]);

  // Only the rows in view exist, in a table that stays put (sticky) while a spacer gives the
  // scroller its full height: a scroll step rewrites the text of the same few dozen rows and shifts
  // them by less than a row. Rows moving through a 1.5-million-pixel table (spacer rows above and
  // below) made the browser lay out and repaint the table on most steps: p95 frames of 100 ms.
  const start = Math.max(0, Math.min(Math.floor(scrollTop / ROW_PX), rows.length - 1));
  const end = Math.min(rows.length, start + viewRows + 2);
  const shift = Math.min(scrollTop - start * ROW_PX, ROW_PX);
  const width = LAYER_COLUMNS.reduce((s, c) => s + c.width, 0);
  const tableHeight = (end - start + 1) * ROW_PX;

  return (
    <div ref={scrollRef} className="table-scroll" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <table className="layer-table windowed" style={{ width }} aria-rowcount={rows.length + 1}>
        <colgroup>
          {LAYER_COLUMNS.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {LAYER_COLUMNS.map((c) => {
              const active = sort.column === c.id;
              return (
                <th
                  key={c.id}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined}
                >
                  {c.sortValue ? (
                    <button
                      type="button"
                      className="th-sort"
                      onClick={() => onSort({ column: c.id, descending: active ? !sort.descending : c.numeric })}
                    >
                      {c.label}
                      <span aria-hidden="true" className="sort-mark">
                        {active ? (sort.descending ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody style={{ transform: `translateY(${-shift}px)` }}>
          {rows.slice(start, end).map((layer, i) => (
            <tr
              key={i /* the same row elements, given the next layers' text */}
              aria-rowindex={start + i + 2}
              aria-selected={layer.index === selected}
              className={
                [layer.index === selected ? 'selected' : '', fellBack.has(layer.index) ? 'fell-back' : '']
                  .filter(Boolean)
                  .join(' ') || undefined
              }
              tabIndex={0}
              onClick={() => selectLayer(layer.index)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  selectLayer(layer.index);
                }
              }}
            >
              {LAYER_COLUMNS.map((c) => (
                <td
                  key={c.id}
                  className={c.numeric ? 'num' : undefined}
                  title={cellTitle(c.id, layer, c.title?.(layer), containers)}
                >
                  {c.id === 'mean' && containers.has(layer.name) ? (
                    <>
                      <span className="nest-mark" aria-hidden="true">
                        ⊃{' '}
                      </span>
                      {c.text(layer)}
                    </>
                  ) : c.id === 'mean' && layer.meanDrivenByOneRun ? (
                    <>
                      <span
                        className="one-run-mark"
                        title="One slow profiled run drives this mean; shares and ranking use the median of each run's own time"
                      >
                        ⚠{' '}
                      </span>
                      {c.text(layer)}
                    </>
                  ) : c.id === 'share' ? (
                    <span className="share">
                      <span className="share-track">
                        <span className="share-bar" style={{ width: `${(layer.share / maxShare) * 100}%` }} />
                      </span>
                      <span className="share-text">{c.text(layer)}</span>
                    </span>
                  ) : c.id === 'provider' && fellBack.has(layer.index) ? (
                    <span
                      className="fallback-mark"
                      title={`Fell back from ${report.fallback?.chosen ?? 'the chosen EP'} to ${layer.provider}`}
                    >
                      ⚠ {c.text(layer)}
                    </span>
                  ) : (
                    c.text(layer)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div aria-hidden="true" style={{ height: Math.max(0, (rows.length + 1) * ROW_PX - tableHeight) }} />
      {rows.length === 0 && <p className="muted table-empty">No layer matches the filter.</p>}
    </div>
  );
}

// Hover text that says what nesting does to a cell: a container's Mean holds its subgraph's
// layers; a nested layer's name says where it ran.
function cellTitle(
  column: string,
  layer: Report['layers'][number],
  title: string | undefined,
  containers: Map<string, ContainerTime>,
): string | undefined {
  const box = containers.get(layer.name);
  if (column === 'mean' && box) {
    return `Total with the ${formatWhole(box.childCount, 'layers')} its subgraph ran; its own time is ${formatUs(box.ownUs)}. Share counts own time only.`;
  }
  if (column === 'name' && layer.parent) return `${title ?? layer.name}\nRan inside ${layer.parent}`;
  if ((column === 'mean' || column === 'share') && layer.ownP50Us !== undefined) {
    const spread = `Own time per run: median ${formatUs(layer.ownP50Us)}, interquartile range ${formatUs(layer.ownIqrUs ?? 0)}.`;
    const driven = layer.meanDrivenByOneRun
      ? ' Its mean is more than twice what it is without its slowest run: one run drives it.'
      : '';
    return `${title ? `${title}\n` : ''}${spread}${driven} Share is of the median.`;
  }
  return title;
}
