import type { ISignal } from '@lumino/signaling';
import type { RunState } from '@spyglass/protocol';
import type { SeriesPoint } from '@spyglass/store';

/** What a run panel shows about the run besides its data. */
export interface RunSummary {
  runId: string;
  name: string;
  project: string;
  /** Unknown until run metadata arrives (kernel hello, run_updated, or the store). */
  state: RunState | null;
}

/** Where a panel is in getting its data; `failed` and `refused` carry a user-facing message. */
export type RunLoadStatus =
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'refused'; message: string };

/**
 * One run's live data as a panel consumes it; the page-wide hub implements it over the shared database.
 * `changed` fires after new rows are queryable or the summary/status changed.
 */
export interface RunDataSource {
  readonly runId: string;
  readonly changed: ISignal<RunDataSource, void>;
  summary(): RunSummary;
  status(): RunLoadStatus;
  rowCount(): Promise<number>;
  metricNames(): Promise<string[]>;
  series(metric: string, maxPoints: number): Promise<SeriesPoint[]>;
}
