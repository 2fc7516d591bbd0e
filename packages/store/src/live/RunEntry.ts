import type { HistogramPoint, RunDegraded, RunInfo, RunMetadata, Stream } from '@spyglass/protocol';
import type { RunDatabase, SeriesPoint } from './RunDatabase.js';
import type { RunChange, RunDataSource, RunLoadStatus, RunSummary } from './run-source.js';
import { type ILiveSignal, LiveSignal } from './signal.js';

const DETAILS: RunChange = { kind: 'details' };
const STATUS: RunChange = { kind: 'status' };

/** The hub's record of one run: metadata, load status and a change signal; data lives in the shared database. */
export class RunEntry implements RunDataSource {
  private readonly changedSignal = new LiveSignal<RunDataSource, RunChange>(this);
  private summaryValue: RunSummary;
  private statusValue: RunLoadStatus = { kind: 'loading' };
  private metadataValue: RunMetadata | null = null;
  /** The run.json last applied, as text: re-reads that change nothing emit nothing. */
  private metadataText = '';
  /** Run directory in the kernel's file system, known from the output data or run metadata. */
  runDir: string | null = null;

  constructor(
    readonly runId: string,
    private readonly database: () => Promise<RunDatabase>,
  ) {
    this.summaryValue = { runId, name: '', project: '', state: null };
  }

  get changed(): ILiveSignal<RunDataSource, RunChange> {
    return this.changedSignal;
  }

  summary(): RunSummary {
    return this.summaryValue;
  }

  metadata(): RunMetadata | null {
    return this.metadataValue;
  }

  status(): RunLoadStatus {
    return this.statusValue;
  }

  async rowCount(): Promise<number> {
    return (await this.database()).rowCount(this.runId);
  }

  async metricNames(): Promise<string[]> {
    return (await this.database()).metricNames(this.runId);
  }

  async timeAtStep(step: number): Promise<number | null> {
    return (await this.database()).timeAtStep(this.runId, step);
  }

  async latestValues(): Promise<Record<string, number>> {
    return (await this.database()).latestValues(this.runId);
  }

  async series(metric: string, maxPoints: number): Promise<SeriesPoint[]> {
    return (await this.database()).series(this.runId, metric, { maxPoints });
  }

  async seriesAgainst(metric: string, xMetric: string, maxPoints: number): Promise<SeriesPoint[]> {
    return (await this.database()).seriesAgainst(this.runId, metric, xMetric, { maxPoints });
  }

  async systemMetricNames(): Promise<string[]> {
    return (await this.database()).systemMetricNames(this.runId);
  }

  async systemSeries(metric: string, maxPoints: number): Promise<SeriesPoint[]> {
    return (await this.database()).systemSeries(this.runId, metric, { maxPoints });
  }

  async histogramCount(): Promise<number> {
    return (await this.database()).histogramCount(this.runId);
  }

  async histogramNames(): Promise<string[]> {
    return (await this.database()).histogramNames(this.runId);
  }

  async histogramSeries(metric: string, maxSteps: number): Promise<HistogramPoint[]> {
    return (await this.database()).histogramSeries(this.runId, metric, maxSteps);
  }

  /** Applies a run.json read from the store; its name, project and state update the summary too. */
  updateMetadata(meta: RunMetadata): void {
    const text = JSON.stringify(meta);
    if (text === this.metadataText) return;
    this.metadataText = text;
    this.metadataValue = meta;
    this.update({
      name: meta.name ?? undefined,
      project: meta.project ?? undefined,
      state: meta.state ?? undefined,
    });
    this.changedSignal.emit(DETAILS);
  }

  /** A kernel's word on storing the run's rows (RunInfo.degraded, absent while they are stored). */
  setDegraded(degraded: RunDegraded | null): void {
    if (JSON.stringify(degraded) === JSON.stringify(this.summaryValue.degraded)) return;
    this.summaryValue = { ...this.summaryValue, degraded };
    this.changedSignal.emit(DETAILS);
  }

  /** Merges metadata from a kernel message, the store or a cell output; empty fields keep what was known. */
  update(info: Partial<Omit<RunInfo, 'state'>> & { state?: RunSummary['state'] }): void {
    const next: RunSummary = {
      runId: this.runId,
      name: info.name || this.summaryValue.name,
      project: info.project || this.summaryValue.project,
      state: info.state ?? this.summaryValue.state,
      degraded: this.summaryValue.degraded,
    };
    if (info.run_dir) this.runDir = info.run_dir;
    const same =
      next.name === this.summaryValue.name &&
      next.project === this.summaryValue.project &&
      next.state === this.summaryValue.state;
    this.summaryValue = next;
    if (!same) this.changedSignal.emit(DETAILS);
  }

  /** New rows of a stream are queryable; data that arrives clears a failed load. */
  markIngested(stream: Stream): void {
    this.markReady();
    this.changedSignal.emit({ kind: 'rows', stream });
  }

  /** The run is known to have no more data to wait for (its rows, if any, are queryable). */
  markLoaded(): void {
    if (this.markReady()) this.changedSignal.emit(STATUS);
  }

  /** Leaves `loading` (or a failed load) for `ready`; true when the status changed. */
  private markReady(): boolean {
    const kind = this.statusValue.kind;
    if (kind === 'refused' || kind === 'damaged' || kind === 'ready') return false;
    this.statusValue = { kind: 'ready' };
    return true;
  }

  /** Some frames of the run's log cannot be read: its panels show the rest and why; later data keeps this. */
  setDamaged(message: string): void {
    if (this.statusValue.kind === 'refused') return;
    this.statusValue = { kind: 'damaged', message };
    this.changedSignal.emit(STATUS);
  }

  /** Shows a failure in the run's panels; later data does not clear a refusal. */
  setProblem(status: Extract<RunLoadStatus, { kind: 'failed' | 'refused' }>): void {
    if (this.statusValue.kind === 'refused') return;
    this.statusValue = status;
    this.changedSignal.emit(STATUS);
  }

  dispose(): void {
    this.changedSignal.disconnectAll();
  }
}
