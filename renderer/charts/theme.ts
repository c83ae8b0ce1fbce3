/**
 * Colours the charts use, light and dark. Kept in sync with the CSS variables of the results views
 * (--fg, --muted, --border, --accent...) so canvas and DOM read alike.
 */

/** Palette of one colour scheme. */
export interface ChartTheme {
  readonly dark: boolean;
  readonly fg: string; // text
  readonly muted: string; // secondary text, axis labels
  readonly border: string; // axis lines
  readonly grid: string; // split lines
  readonly bg: string; // tooltip and slider background
  readonly accent: string; // selection, main series
  readonly cold: string; // the cold run
  readonly warn: string; // peak markers; slower or worse
  readonly good: string; // faster or better
  readonly moduleFill: string; // flame frames of modules (not layers)
  readonly frameText: string; // text drawn on coloured frames
  readonly palette: readonly string[]; // op-type colours
}

/** Light scheme. */
export const LIGHT_THEME: ChartTheme = {
  dark: false,
  fg: '#1f2328',
  muted: '#59636e',
  border: '#c8ced6',
  grid: '#e6e9ee',
  bg: '#ffffff',
  accent: '#0b66d6',
  cold: '#c2410c',
  warn: '#b42318',
  good: '#1a7f37',
  moduleFill: '#d6dde7',
  frameText: '#111418',
  palette: [
    '#7fb2f0',
    '#f2b36f',
    '#8fd19e',
    '#e79aa6',
    '#b9a3e8',
    '#6fd0d3',
    '#e8d36f',
    '#c7b39a',
    '#a4c96b',
    '#f0a0d8',
    '#9fb0c8',
    '#f08f6f',
  ],
};

/** Dark scheme. */
export const DARK_THEME: ChartTheme = {
  dark: true,
  fg: '#e6e8eb',
  muted: '#9aa4b0',
  border: '#3a414b',
  grid: '#2a3038',
  bg: '#1b1f24',
  accent: '#5aa9ff',
  cold: '#ff9a4d',
  warn: '#ff6b5e',
  good: '#4cc266',
  moduleFill: '#3a4452',
  frameText: '#0d1014',
  palette: [
    '#5b93d6',
    '#d99650',
    '#6bb27d',
    '#cc7684',
    '#9882cc',
    '#4fb1b4',
    '#c9b34f',
    '#a8927a',
    '#86aa4e',
    '#d07fb8',
    '#7d8fa8',
    '#d9775a',
  ],
};

/** The theme for a colour scheme. */
export function chartTheme(dark: boolean): ChartTheme {
  return dark ? DARK_THEME : LIGHT_THEME;
}

/** A colour per op type from a string hash: stable across reports, but two types may share one. */
export function opTypeColor(opType: string, theme: ChartTheme): string {
  let h = 2166136261;
  for (let i = 0; i < opType.length; i++) {
    h ^= opType.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return theme.palette[(h >>> 0) % theme.palette.length]!;
}

const reportColors = new WeakMap<object, Map<ChartTheme, ReadonlyMap<string, string>>>();

/**
 * The colours of a report's op types, shared by the flame graph, the timeline and their legend: the
 * op types with the most time get distinct palette colours in order, the rest fall back to the hash.
 */
export function opTypeColors(
  report: { readonly opTypes: readonly { readonly opType: string; readonly meanUs: number }[] },
  theme: ChartTheme,
): ReadonlyMap<string, string> {
  let byTheme = reportColors.get(report);
  if (!byTheme) {
    byTheme = new Map();
    reportColors.set(report, byTheme);
  }
  let colors = byTheme.get(theme);
  if (!colors) {
    const ranked = [...report.opTypes].sort((a, b) => b.meanUs - a.meanUs || a.opType.localeCompare(b.opType));
    colors = new Map(
      ranked.map(
        (o, i) => [o.opType, i < theme.palette.length ? theme.palette[i]! : opTypeColor(o.opType, theme)] as const,
      ),
    );
    byTheme.set(theme, colors);
  }
  return colors;
}

/** What every chart option starts with: no animation, the card's background, described for screen readers. */
export const CHART_BASE = { animation: false, backgroundColor: 'transparent', aria: { enabled: true } } as const;

/** The legend of a chart with a few series: top right, in the muted text colour. */
export function legendStyle(theme: ChartTheme) {
  return { top: 0, right: 8, textStyle: { color: theme.muted, fontSize: 11 }, itemHeight: 10 };
}

/** A tooltip per data item: `html(i)` for the item at data index `i` (of its series). */
export function itemTooltip(theme: ChartTheme, html: (i: number) => string) {
  return {
    ...tooltipStyle(theme),
    trigger: 'item' as const,
    formatter: (p: unknown) => html((p as { dataIndex: number }).dataIndex),
  };
}

/** Axis styling shared by every cartesian chart. */
export function axisStyle(theme: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
    axisLabel: { color: theme.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: theme.grid } },
    nameTextStyle: { color: theme.muted, fontSize: 11 },
  };
}

/** Tooltip styling: readable on both schemes, HTML content confined to the chart. */
export function tooltipStyle(theme: ChartTheme) {
  return {
    backgroundColor: theme.bg,
    borderColor: theme.border,
    textStyle: { color: theme.fg, fontSize: 12 },
    confine: true,
    extraCssText: 'max-width: 420px; white-space: normal;',
  };
}

/** Zoom along the x axis: the wheel and drag inside the grid, and a thin slider under it. */
export function xZoom(theme: ChartTheme) {
  return [
    { type: 'inside' as const, xAxisIndex: 0 },
    {
      type: 'slider' as const,
      xAxisIndex: 0,
      height: 16,
      bottom: 6,
      borderColor: theme.border,
      textStyle: { color: theme.muted, fontSize: 10 },
      showDataShadow: false,
    },
  ];
}
