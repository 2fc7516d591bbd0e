/**
 * User-facing text of the workspace (issue 4), kept apart from ../messages.ts so the run panel's wording and the
 * workspace's can be reviewed in one place each.
 */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const plural = (n: number, one: string, many: string) => `${integer.format(n)} ${n === 1 ? one : many}`;

export const workspaceMessages = {
  title: (project: string) => `Spyglass: ${project}`,
  loadingRuns: 'Loading runs…',
  noRuns: 'No runs in this project yet. Runs appear here as soon as they are logged.',
  listFailed: (detail: string) => `Spyglass could not list the runs: ${detail}`,
  runsShown: (shown: number, total: number) =>
    shown === total
      ? plural(total, 'run', 'runs')
      : `${integer.format(shown)} of ${plural(total, 'run', 'runs')}`,
  selectedCount: (n: number) => (n === 0 ? '' : `${integer.format(n)} selected`),
  damaged: (reason: string) => `damaged: ${reason}`,
  damagedRuns: (n: number) =>
    `${plural(n, 'run is', 'runs are')} damaged and left out of the charts (the reason is in its row).`,
  searchPlaceholder: 'Filter runs by name, tag, group…',
  wherePlaceholder: 'SQL WHERE over runs, e.g. "config.lr" < 0.01 AND state = \'finished\'',
  whereApply: 'Apply',
  whereClear: 'Clear',
  whereFailed: (detail: string) => `The WHERE clause did not run: ${detail}`,
  whereMatches: (n: number) => `WHERE keeps ${plural(n, 'run', 'runs')}`,
  groupBy: 'Group by',
  noGrouping: 'no grouping',
  columns: 'Columns',
  moveLeft: 'Move left',
  moveRight: 'Move right',
  xAxis: 'x axis',
  xStep: 'step',
  xWall: 'wall time',
  xRelative: 'relative time (s)',
  smoothing: 'Smoothing',
  logX: 'log x',
  logY: 'log y',
  addPanel: 'Add panel',
  exportCsv: 'CSV',
  exportParquet: 'Parquet',
  exportTable: 'Export table',
  parquetUnavailable: 'Parquet export needs the Spyglass server extension, which is not available here.',
  exportFailed: (detail: string) => `Export failed: ${detail}`,
  select: 'Select run (highlights it in every chart)',
  pin: 'Pin run to the top',
  unpin: 'Unpin run',
  noMetrics: 'The runs shown have no numeric metrics to chart.',
  noRunsToChart: 'No runs to chart: the filters keep none (or only damaged runs).',
  allNaN: (metric: string) =>
    `Every value of ${metric} is NaN or infinite in the runs shown; nothing to draw.`,
  loadingMetric: (metric: string) => `Loading ${metric}…`,
  panelFailed: (detail: string) => `This panel could not be drawn: ${detail}`,
  memoryLimit: (detail: string) => detail,
  zoomHint: 'Drag to zoom, wheel to zoom, shift+wheel to pan, double-click to reset.',
  resetZoom: 'Reset zoom',
  exportPng: 'PNG',
  exportSvg: 'SVG',
  exportSpec: 'Spec + data',
  removePanel: 'Remove panel',
  panelKinds: { line: 'Line plot', scatter: 'Scatter', bar: 'Bar', custom: 'Custom Vega-Lite + SQL' },
  editorTitle: 'New panel',
  editorKind: 'Kind',
  editorMetric: 'Metric',
  editorX: 'x column',
  editorY: 'y column',
  editorColumn: 'Column',
  editorSection: 'Section',
  editorTitleField: 'Title',
  editorSql: 'SQL over the runs table',
  editorSpec: 'Vega-Lite spec (JSON; its data is the query result)',
  editorAdd: 'Add',
  editorCancel: 'Cancel',
  editorNeedColumns: 'Pick both columns.',
  notNumeric: (column: string) => `${column} has no numeric values in the runs shown.`,
  layoutInvalid: (detail: string) =>
    `The saved workspace layout was not used (${detail}); starting from the default.`,
  layoutSaveFailed: (detail: string) => `The workspace layout could not be saved: ${detail}`,
  runGone: 'This run was deleted.',
  group: (key: string, n: number) => `${key === '' ? '(none)' : key} · ${plural(n, 'run', 'runs')}`,
} as const;
