/** Every user-facing text of the report runtime. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const messages = {
  contents: 'Contents',
  runs: 'Runs',
  project: (names: string[]) => (names.length === 1 ? `Project ${names[0]}` : `Projects ${names.join(', ')}`),
  by: (authors: string[]) => `by ${authors.join(', ')}`,
  noConfig: 'no config',
  code: (count: number | null) => (count === null ? 'Code' : `Code [${count}]`),
  filter: 'Filter rows',
  rowsShown: (shown: number, embedded: number, total: number) =>
    `Showing ${integer.format(shown)} of ${integer.format(total)} rows` +
    (shown < embedded ? ` (${integer.format(embedded - shown)} filtered out)` : '') +
    (total > embedded ? `; ${integer.format(total - embedded)} rows are left out of the report` : ''),
  mediaLeftOut: (kind: string) => `${kind} left out`,
  moreMedia: (count: number) => `+${integer.format(count)} more`,
  downsampled:
    'Downsampled (M4: first, min, max and last of each bucket); zoom shows the same points closer.',
  chartHelp:
    'Ctrl/⌘+scroll to zoom, drag to pan, double-click to reset; click a legend entry to show only that run.',
  chartFailed: (metric: string, detail: string) => `The chart for ${metric} could not be drawn: ${detail}`,
  badData: (detail: string) => `This report's embedded data cannot be read: ${detail}`,
  wrongFormat: (format: string) =>
    `This report was written in format ${format}, which this runtime cannot read.`,
  remoteData: 'the spec loads data from a URL, which reports never do',
  sortBy: (column: string) => `Sort by ${column}`,
  sweepMetric: 'metric',
  sweepParallel: (metric: string) => `Parameters and ${metric}, one line per trial`,
  sweepByTrial: (metric: string) => `${metric} by trial (line: best so far)`,
  sweepScatter: (metric: string, param: string) => `${metric} against ${param}`,
  sweepImportance: (metric: string) => `Parameter importance for ${metric}`,
  sweepUnreadable: (detail: string) => `This sweep's snapshot cannot be drawn: ${detail}`,
};
