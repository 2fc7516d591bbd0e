import { Widget } from '@lumino/widgets';
import type { SweepSnapshot } from '@spyglass/protocol';
import { describeError } from './errors.js';
import { SweepCharts } from './sweep/SweepCharts.js';
import { type SweepAction, SweepHeader } from './sweep/SweepHeader.js';
import { SweepTrialsTable } from './sweep/SweepTrialsTable.js';
import { sweepMessages as m } from './sweep/sweep-messages.js';
import { sweepWarnings } from './sweep/sweep-progress.js';

/** What the panel's buttons do; the host injects it (a server client in JupyterLab, a fake in tests). */
export interface SweepControl {
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  stopTrial(index: number): Promise<void>;
}

export interface SweepPanelOptions {
  snapshot: SweepSnapshot;
  /** Null hides the controls (a saved output with no server to send them to). */
  control?: SweepControl | null;
  /** Asks the user before stopping the whole sweep (default: window.confirm). */
  confirmStop?: () => boolean;
  /**
   * Opens a trial's run (the host's run panel); clicking a trial's line or point, or its index in the table,
   * calls it. Absent, trials are not links.
   */
  openRun?: ((run: TrialRun) => void) | null;
}

/** The run of a trial, as a host needs it to open a run panel. */
export interface TrialRun {
  index: number;
  runId: string;
  runDir: string;
}

/**
 * A sweep, as wandb's sweep page shows it but in a cell: header with progress and controls, warnings, the live
 * charts (parallel coordinates, metric by trial, parameter scatter, importance) and the trials table. New
 * snapshots update everything in place. Data attributes (`data-spyglass-sweep`, `data-sweep-state`,
 * `data-spyglass-sweep-trials`) expose what is shown for tests.
 */
export class SweepPanel extends Widget {
  private readonly header: SweepHeader;
  private readonly notice = document.createElement('p');
  private readonly warnings = document.createElement('ul');
  private readonly charts: SweepCharts;
  private readonly table: SweepTrialsTable;
  private readonly control: SweepControl | null;
  private readonly confirmStop: () => boolean;
  private readonly resizeObserver: ResizeObserver;
  private snapshot: SweepSnapshot;
  private chartError = '';
  private noticeText = '';
  private width = 0;

  constructor(options: SweepPanelOptions) {
    super();
    this.addClass('jp-SpyglassSweep');
    this.snapshot = options.snapshot;
    this.control = options.control ?? null;
    this.confirmStop = options.confirmStop ?? (() => window.confirm(m.confirmStop));
    this.header = new SweepHeader(this.control ? (action) => void this.act(action) : null);
    this.notice.className = 'jp-SpyglassSweep-notice';
    this.notice.setAttribute('data-spyglass-sweep-notice', '');
    this.notice.hidden = true;
    this.warnings.className = 'jp-SpyglassSweep-warnings';
    this.warnings.setAttribute('data-spyglass-sweep-warnings', '');
    const openRun = options.openRun ?? null;
    const openTrial = openRun ? (index: number) => this.openTrial(openRun, index) : null;
    this.charts = new SweepCharts((message) => this.onChartError(message), openTrial);
    this.table = new SweepTrialsTable(this.control ? (index) => void this.stopTrial(index) : null, openTrial);
    this.node.append(this.header.node, this.notice, this.warnings, this.charts.node, this.table.node);
    this.resizeObserver = new ResizeObserver(() => this.onPanelResize());
    this.resizeObserver.observe(this.node);
    this.setSnapshot(options.snapshot);
  }

  get currentSnapshot(): SweepSnapshot {
    return this.snapshot;
  }

  /** Shows a newer snapshot of the same sweep; charts and rows update in place. */
  setSnapshot(snapshot: SweepSnapshot): Promise<void> {
    this.snapshot = snapshot;
    const { sweep } = snapshot;
    this.node.setAttribute('data-spyglass-sweep', sweep.id);
    this.node.setAttribute('data-sweep-state', sweep.state);
    this.node.setAttribute('data-spyglass-sweep-trials', String(snapshot.trials.length));
    this.header.update(snapshot);
    this.renderWarnings(sweepWarnings(snapshot, m.metricNeverLogged));
    this.table.update(snapshot);
    this.chartError = '';
    return this.charts.update(snapshot).then(() => this.renderNotice());
  }

  /** A message about the connection (e.g. the server cannot be reached), or null to clear it. */
  setNotice(text: string | null): void {
    this.noticeText = text ?? '';
    this.renderNotice();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.resizeObserver.disconnect();
    this.charts.dispose();
    super.dispose();
  }

  private async act(action: SweepAction): Promise<void> {
    if (!this.control) return;
    if (action === 'stop' && !this.confirmStop()) return;
    this.header.setPending(action);
    try {
      await this.control[action]();
      this.setNotice(null);
    } catch (error) {
      this.setNotice(m.controlFailed(action, describeError(error)));
    } finally {
      this.header.setPending(null);
      this.header.update(this.snapshot);
    }
  }

  private async stopTrial(index: number): Promise<void> {
    try {
      await this.control?.stopTrial(index);
    } catch (error) {
      this.setNotice(m.controlFailed(`stop trial ${index} of`, describeError(error)));
    }
  }

  /** Trials that have not started their run yet have nothing to open. */
  private openTrial(openRun: (run: TrialRun) => void, index: number): void {
    const trial = this.snapshot.trials.find((t) => t.index === index);
    if (trial?.run_id && trial.run_dir) openRun({ index, runId: trial.run_id, runDir: trial.run_dir });
  }

  private onChartError(message: string): void {
    this.chartError = message;
    this.renderNotice();
  }

  private renderNotice(): void {
    const text = [this.noticeText, this.chartError].filter((t) => t !== '').join(' ');
    if (this.notice.textContent !== text) this.notice.textContent = text;
    this.notice.hidden = text === '';
  }

  private renderWarnings(warnings: string[]): void {
    const shown = [...this.warnings.children].map((li) => li.textContent);
    if (JSON.stringify(shown) === JSON.stringify(warnings)) return;
    this.warnings.replaceChildren(
      ...warnings.map((w) => {
        const li = document.createElement('li');
        li.textContent = w;
        return li;
      }),
    );
    this.warnings.hidden = warnings.length === 0;
  }

  private onPanelResize(): void {
    const width = this.node.clientWidth;
    if (this.isDisposed || width === this.width || width === 0) return;
    this.width = width;
    this.charts.redraw().catch((error) => console.warn('Spyglass:', error));
  }
}
