/** Every user-facing text of the sweep panel (kept apart from messages.ts, which the run panel owns). */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const n = (count: number) => integer.format(count);

export const sweepMessages = {
  title: (name: string | null, id: string) => name ?? `sweep ${id}`,
  method: (method: string) => `${method} search`,
  goal: (metric: string, goal: string) => `${goal === 'maximize' ? 'maximize' : 'minimize'} ${metric}`,
  noMetric: 'no metric',
  done: (count: number) => `${n(count)} done`,
  running: (count: number) => `${n(count)} running`,
  left: (count: number) => `${n(count)} left`,
  noCap: 'no cap',
  ofTotal: (trials: number, total: number) => `${n(trials)} of ${n(total)} trials`,
  openRun: (index: number, runId: string) => `Open the run of trial ${index} (${runId})`,
  failed: (count: number) => `${n(count)} failed`,
  stoppedEarly: (count: number) => `${n(count)} stopped early`,
  stopped: (count: number) => `${n(count)} stopped`,
  trials: (count: number) => `${n(count)} ${count === 1 ? 'trial' : 'trials'}`,
  best: (metric: string, value: string, trial: number) => `best ${metric} ${value} (trial ${trial})`,
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop sweep',
  stopTrial: 'Stop',
  stopTrialTitle: (index: number) => `Stop trial ${index} (the run ends at its next log call)`,
  confirmStop: 'Stop this sweep? Running trials are stopped and no new trial starts.',
  controlPending: (action: string) => `${action}…`,
  controlFailed: (action: string, detail: string) => `Could not ${action} the sweep: ${detail}`,
  showError: 'show error',
  hideError: 'hide error',
  trialsTitle: 'Trials',
  indexColumn: '#',
  stateColumn: 'state',
  noteColumn: 'note',
  noTrials: 'No trial has started yet. Start an agent with sg.agent(sweep_id, function=train).',
  parallelTitle: 'Parameters → metric',
  metricTitle: 'Metric by trial (line: best so far)',
  scatterTitle: 'Parameter against metric',
  scatterPicker: 'parameter',
  importanceTitle: 'Parameter importance',
  noImportance: 'Parameter importance appears once a few trials have finished with a metric.',
  metricNeverLogged: (metric: string) =>
    `No trial has logged the sweep metric "${metric}" yet. Check that train() logs it under exactly this name.`,
  chartFailed: (chart: string, detail: string) => `The ${chart} chart could not be drawn: ${detail}`,
  unreachable: (detail: string) =>
    `Cannot reach the Jupyter server to follow this sweep (${detail}); showing the last snapshot. Retrying…`,
  unavailable: (detail: string) =>
    `The server cannot read this sweep (${detail}); showing the snapshot saved with the notebook.`,
  badOutput: (detail: string) => `This sweep output is malformed and cannot be shown: ${detail}`,
} as const;
