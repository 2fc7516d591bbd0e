import type { HistogramPoint, RunDegraded, RunMetadata, StoredRunState, Stream } from '@spyglass/protocol';
import type { SeriesPoint } from './RunDatabase.js';
import type { ILiveSignal } from './signal.js';

/** What a run panel shows about the run besides its data. */
export interface RunSummary {
  runId: string;
  name: string;
  project: string;
  /** Unknown until run metadata arrives (kernel hello, run_updated, or the store). */
  state: StoredRunState | null;
  /**
   * What the run's kernel last said about storing its rows: null while they reach the store, why not otherwise;
   * undefined when no kernel of this page runs it (run.json's "degraded" is then what is known).
   */
  degraded?: RunDegraded | null;
}

/** Where a panel is in getting its data; `failed` and `refused` carry a user-facing message. */
export type RunLoadStatus =
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'refused'; message: string }
  /** Some frames of the run's log cannot be read (hostile or corrupt payloads): the rest is shown, with why. */
  | { kind: 'damaged'; message: string };

/**
 * What a `changed` signal reports: new rows of one stream are queryable, the summary or metadata changed
 * (`details`), or the load status did. A panel re-queries only what the change can have touched.
 */
export type RunChange = { kind: 'rows'; stream: Stream } | { kind: 'details' } | { kind: 'status' };

/**
 * One run's live data as a panel consumes it; the page-wide hub implements it over the shared database.
 * `changed` fires after new rows are queryable or the summary, metadata or status changed, and says which.
 */
export interface RunDataSource {
  readonly runId: string;
  readonly changed: ILiveSignal<RunDataSource, RunChange>;
  summary(): RunSummary;
  /** The run's run.json as last read from the store (config, summary, tags...); null until it was read. */
  metadata(): RunMetadata | null;
  status(): RunLoadStatus;
  rowCount(): Promise<number>;
  metricNames(): Promise<string[]>;
  /** When the row of a step was logged (Unix seconds), or null when the run has no such step. */
  timeAtStep(step: number): Promise<number | null>;
  /** Each metric's value at the highest step ingested: the live summary until run.json has the final one. */
  latestValues(): Promise<Record<string, number>>;
  series(metric: string, maxPoints: number): Promise<SeriesPoint[]>;
  /** One metric against another logged in the same rows (a define_metric step metric); empty when none has both. */
  seriesAgainst(metric: string, xMetric: string, maxPoints: number): Promise<SeriesPoint[]>;
  /** System metric names (`system/...`) sampled for the run. */
  systemMetricNames(): Promise<string[]>;
  /** One system metric with the runtime in seconds as `step`. */
  systemSeries(metric: string, maxPoints: number): Promise<SeriesPoint[]>;
  /** How many histograms the run has logged so far (all keys). */
  histogramCount(): Promise<number>;
  /** Keys holding histograms (sg.Histogram, watch's `gradients/…` and `parameters/…`), sorted. */
  histogramNames(): Promise<string[]>;
  /** One key's histograms by step, evenly thinned above `maxSteps`. */
  histogramSeries(metric: string, maxSteps: number): Promise<HistogramPoint[]>;
}
