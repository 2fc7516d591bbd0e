import { liveMessages } from '@spyglass/store';

/** Every user-facing text of the Spyglass frontend, in one place so wording stays consistent and reviewable. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const messages = {
  ...liveMessages,
  rows: (n: number) => `${integer.format(n)} ${n === 1 ? 'row' : 'rows'}`,
  points: (n: number) => `${integer.format(n)} ${n === 1 ? 'point' : 'points'}`,
  loading: 'Loading run history…',
  noDataYet: 'No data logged yet. Charts appear here as soon as the run logs its first metrics.',
  noNumericMetrics: 'This run has rows but no numeric metrics to chart yet.',
  chartFailed: (metric: string, detail: string) => `The chart for ${metric} could not be drawn: ${detail}`,
  newerProtocol: (theirs: string, ours: string) =>
    `This run was written by a newer Spyglass (protocol ${theirs}) than this JupyterLab extension understands ` +
    `(${ours}). Upgrade the extension with "pip install -U spyglass" and reload the page.`,
  badOutput: 'This Spyglass output is malformed and cannot be shown.',
  unnamedRun: 'unnamed run',
  damaged: 'damaged',
  degraded: (reason: string) => `not stored: ${reason}`,
  degradedDetail: (message: string, unstored: number, dropped: number) =>
    `${message}\n${integer.format(unstored)} logged ${unstored === 1 ? 'row waits' : 'rows wait'} in the ` +
    `kernel's memory until the store accepts writes again` +
    (dropped > 0 ? `; ${integer.format(dropped)} ${dropped === 1 ? 'row was' : 'rows were'} dropped.` : '.'),
  rowsDropped: (n: number) =>
    `${integer.format(n)} ${n === 1 ? 'row' : 'rows'} dropped while the store refused writes`,
  config: 'Config',
  summary: 'Summary',
  overview: 'Config and summary',
  overviewCounts: (config: number, summary: number) =>
    `${integer.format(config)} config ${config === 1 ? 'key' : 'keys'}, ${integer.format(summary)} summary ${summary === 1 ? 'value' : 'values'}`,
  noConfig: 'No config was given to init().',
  noSummary: 'No summary yet.',
  files: 'Files',
  noFiles: 'No files saved.',
  savedFile: (size: number | null, policy: string) =>
    `${size === null ? 'not copied yet' : `${integer.format(size)} bytes`} (${policy})`,
  alerts: 'Alerts',
  noAlerts: 'No alerts.',
  alertKey: (level: string, title: string) => `${level} · ${title}`,
  alertValue: (text: string, at: number | null) =>
    at === null ? text : `${text} (${new Date(at * 1000).toLocaleString()})`,
  histogramCount: (n: number) => `${integer.format(n)} ${n === 1 ? 'histogram' : 'histograms'} over time`,
  sectionCount: (n: number) => `${integer.format(n)} ${n === 1 ? 'chart' : 'charts'}`,
  loggedCharts: 'Logged charts',
  runtimeAxis: 'runtime (s)',
  duration: (text: string) => `ran ${text}`,
  durationLive: (text: string) => `running for ${text}`,
  created: (when: string) => `created ${when}`,
  group: (name: string) => `group ${name}`,
  jobType: (name: string) => `job type ${name}`,
  notesTitle: 'Notes',
  lineageTitle: 'Lineage',
  lineageCounts: (runs: number, artifacts: number) =>
    `${integer.format(runs)} ${runs === 1 ? 'run' : 'runs'}, ${integer.format(artifacts)} artifact ${artifacts === 1 ? 'version' : 'versions'}`,
  lineageTruncated: 'The project is larger than one view: showing part of it. Explore a node to see more.',
  lineageEmpty: 'No runs or artifacts to show yet.',
  lineageRefresh: 'Refresh',
  lineageRefreshing: 'Refreshing…',
  lineageRefreshFailed: (detail: string) => `Could not refresh the lineage: ${detail}`,
  lineageExpandFailed: (detail: string) => `Could not load that neighbourhood: ${detail}`,
  lineageFit: 'Fit',
  lineageZoomIn: 'Zoom in',
  lineageZoomOut: 'Zoom out',
  lineageExportSvg: 'Export SVG',
  lineageCycle: (detail: string) => `This lineage cannot be drawn: ${detail}`,
  lineageGraphLabel:
    'Lineage graph. Tab to a node and press Enter to select it; arrow keys follow its edges.',
  lineageHint: 'Select a node to see its details and the path through it.',
  lineageOpenRun: 'Open run panel',
  lineageExpandGroup: 'Show them all',
  lineageExplore: 'Show its neighbourhood',
  lineageClose: 'Close details',
  lineageField: {
    runId: 'Run id',
    state: 'State',
    jobType: 'Job type',
    project: 'Project',
    created: 'Created',
    type: 'Type',
    version: 'Version',
    aliases: 'Aliases',
    digest: 'Digest',
    size: 'Size',
    files: 'Files',
    registry: 'Registry links',
    members: 'Folded here',
  },
  lineageNone: '—',
  lineageHiddenNeighbours: (n: number) =>
    `${integer.format(n)} more ${n === 1 ? 'neighbour' : 'neighbours'} not shown`,
} as const;
