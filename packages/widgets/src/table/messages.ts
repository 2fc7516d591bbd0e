/** User-facing texts of the table explorer, in one place. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const tableText = {
  rows: (shown: number, total: number) =>
    shown === total
      ? `${integer.format(total)} rows`
      : `${integer.format(shown)} of ${integer.format(total)} rows`,
  loading: 'Loading table…',
  loadingBytes: (done: number, total: number | null) =>
    total
      ? `Loading table… ${Math.round((100 * done) / total)}% (${mb(done)} of ${mb(total)})`
      : `Loading table… ${mb(done)}`,
  registering: 'Preparing the table in the in-browser database…',
  loadFailed: (detail: string) => `Spyglass could not load this table: ${detail}`,
  decodeWorkerFailed: 'the Parquet decode worker stopped',
  decodeWorkerSilent: 'the Parquet decode worker did not start in time',
  decodeOnMainThread:
    'Spyglass: cannot start the Parquet decode worker; tables are decoded on the main thread (the page may pause while a large one loads).',
  queryFailed: (detail: string) => `Query failed: ${detail}`,
  plotFailed: (detail: string) => `Spyglass could not draw this chart: ${detail}`,
  plotSampled: (shown: number, total: number) =>
    `The chart draws the first ${shown.toLocaleString()} of ${total.toLocaleString()} rows; the table below has them all.`,
  where: 'WHERE',
  sortBy: (column: string) => `Sort by ${column}`,
  summaryOf: (column: string) => `Summary of ${column}`,
  filterColumn: (column: string) => `Filter ${column}`,
  gridLabel:
    'Table rows: arrow keys move the focused cell, Enter opens its media or selects the row, Space selects',
  wherePlaceholder: "e.g. score > 0.5 AND label = 'cat'",
  sql: 'SQL',
  sqlPlaceholder: 'SELECT … FROM t …  (the table is t)',
  run: 'Run',
  clear: 'Clear',
  groupBy: 'Group by',
  none: '(none)',
  aggregate: 'Aggregate',
  compare: 'Compare with',
  compareKey: 'Join on',
  byPosition: 'row position',
  compareOff: '(off)',
  compareLoading: 'Loading the other version…',
  exportCsv: 'Export CSV',
  exportParquet: 'Export Parquet',
  copyCell: 'Copy cell',
  copied: 'Copied',
  filterPlaceholder: (kind: string) => (kind === 'number' ? '3, >2, 1..10' : 'contains… (=exact)'),
  summary: 'Column summary',
  summaryNumber: (min: string, max: string, mean: string, nulls: number) =>
    `min ${min} · max ${max} · mean ${mean}${nulls ? ` · ${integer.format(nulls)} null` : ''}`,
  summaryText: (distinct: number, nulls: number) =>
    `≈${integer.format(distinct)} distinct${nulls ? ` · ${integer.format(nulls)} null` : ''}`,
  summaryMedia: (kinds: string) => `media: ${kinds}`,
  expand: 'Show all',
  truncated: (chars: number) => `… (${integer.format(chars)} characters)`,
  preview: (shown: number, total: number) =>
    `First ${integer.format(shown)} of ${integer.format(total)} rows — loading the rest for sort, filter and search…`,
  close: 'Close',
  mediaFailed: (detail: string) => `Cannot load this media file: ${detail}`,
  noMediaAccess: 'This table has no run directory, so its media files cannot be loaded.',
  selection: (n: number) => `${integer.format(n)} selected`,
  chartX: 'x',
  chartY: 'y',
  chartHint: 'Select rows (click the row number, shift-click for a range) to chart them.',
  nothing: 'No rows match.',
  rowHeight: 'Row height',
  rowSize: (size: string, imagePx: number) => `${size} (${imagePx} px images)`,
} as const;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
