import { PanelLayout, Widget } from '@lumino/widgets';
import { isSweepLive, parseSweepSnapshot, type SweepSnapshot } from '@spyglass/protocol';
import { PollBackoff } from '@spyglass/store';
import {
  describeError,
  isSnapshotBehind,
  type SweepControl,
  SweepPanel,
  sweepMessages,
  type TrialRun,
} from '@spyglass/widgets';
import { StoreRequestError } from './errors.js';
import type { StoreClient, SweepControlAction } from './StoreClient.js';

/** How long an ended sweep is still polled while some of its trials have not ended. */
const SETTLE_MS = 60_000;

/**
 * A SweepPanel that follows its sweep: the given snapshot at once, then the server's snapshot about once a
 * second while the sweep is running or paused (slower while nothing changes), until it ends or the widget is
 * disposed. When the server cannot be reached the panel keeps the last snapshot and says so. The panel's buttons
 * POST to the control endpoint and poll at once. Shared by the notebook output renderer and the workspace's
 * sweep panel.
 */
export class SweepView extends Widget {
  private panel: SweepPanel | null = null;
  private sweepDir: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling = false;
  private pollAgain = false;
  private lastText = '';
  private endedSeenAt: number | null = null;
  private readonly backoff = new PollBackoff({ minMs: 1000, maxMs: 3000, factor: 1.5 });

  /** `openRun` opens a trial's run (clicked in a chart or the table); `project` is the sweep's. */
  constructor(
    private readonly client: StoreClient,
    private readonly openRun: ((run: TrialRun, project: string) => void) | null = null,
  ) {
    super();
    this.addClass('jp-SpyglassSweepOutput');
    this.layout = new PanelLayout();
  }

  /**
   * Shows this sweep. The same sweep again (update_display_data) keeps the panel and takes the snapshot unless
   * the panel already shows a later one from the server.
   */
  async display(sweepDir: string, snapshot: SweepSnapshot): Promise<void> {
    if (this.panel && this.sweepDir === sweepDir) {
      if (!isSnapshotBehind(snapshot, this.panel.currentSnapshot)) await this.showSnapshot(snapshot);
      // Keep following (the bundle may say the sweep was resumed); a pending poll keeps its time.
      if (this.timer === null) this.schedule(this.backoff.next(true));
      return;
    }
    this.stopPolling();
    this.sweepDir = sweepDir;
    this.lastText = '';
    const openRun = this.openRun;
    const panel = new SweepPanel({
      snapshot,
      control: this.control(sweepDir),
      openRun: openRun ? (run) => openRun(run, snapshot.sweep.project) : null,
    });
    this.setPanel(panel);
    this.schedule(0);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.stopPolling();
    this.setPanel(null);
    super.dispose();
  }

  private control(sweepDir: string): SweepControl {
    const send = async (action: SweepControlAction, trial?: number) => {
      await this.client.sweepControl(sweepDir, action, trial);
      this.backoff.reset();
      this.schedule(0);
    };
    return {
      pause: () => send('pause'),
      resume: () => send('resume'),
      stop: () => send('stop'),
      stopTrial: (index) => send('stop_trial', index),
    };
  }

  /** Polls after `delayMs` if the shown sweep is live (a poll already under way reschedules itself). */
  private schedule(delayMs: number): void {
    if (this.isDisposed || !this.panel) return;
    if (this.polling) {
      // Asked for right away (after a control) while a poll is out: poll again as soon as it is back.
      this.pollAgain ||= delayMs === 0;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.shouldPoll(this.panel.currentSnapshot)) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  /**
   * While the sweep runs or is paused; then a little longer while trials wind down (a stop reaches a trial at its
   * next log call), but not forever for a trial whose agent died.
   */
  private shouldPoll(snapshot: SweepSnapshot): boolean {
    if (isSweepLive(snapshot.sweep.state)) {
      this.endedSeenAt = null;
      return true;
    }
    if (!snapshot.trials.some((t) => t.state === 'running' || t.state === 'claimed')) return false;
    this.endedSeenAt ??= Date.now();
    return Date.now() - this.endedSeenAt < SETTLE_MS;
  }

  private async poll(): Promise<void> {
    this.timer = null;
    const sweepDir = this.sweepDir;
    if (!sweepDir || !this.panel) return;
    this.polling = true;
    let changed = false;
    try {
      const raw = await this.client.sweepSnapshot(sweepDir);
      if (this.isDisposed || sweepDir !== this.sweepDir) return;
      const text = JSON.stringify(raw);
      changed = text !== this.lastText;
      this.lastText = text;
      this.panel.setNotice(null);
      const snapshot = parseSweepSnapshot(raw);
      // A display update from the kernel may have overtaken this request: never step back.
      if (changed && !isSnapshotBehind(snapshot, this.panel.currentSnapshot))
        await this.showSnapshot(snapshot);
    } catch (error) {
      if (this.isDisposed) return;
      console.warn('Spyglass: cannot refresh the sweep', error);
      // A 4xx will not heal by asking again (the sweep is gone or elsewhere); a network error may.
      const refused = error instanceof StoreRequestError && error.status >= 400 && error.status < 500;
      const notice = refused ? sweepMessages.unavailable : sweepMessages.unreachable;
      this.panel?.setNotice(notice(describeError(error)));
      if (refused) return;
    } finally {
      this.polling = false;
    }
    const again = this.pollAgain;
    this.pollAgain = false;
    this.schedule(again ? 0 : this.backoff.next(changed));
  }

  private async showSnapshot(snapshot: SweepSnapshot): Promise<void> {
    try {
      await this.panel?.setSnapshot(snapshot);
    } catch (error) {
      console.warn('Spyglass: cannot show the sweep snapshot', error);
    }
  }

  private stopPolling(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setPanel(panel: SweepPanel | null): void {
    const layout = this.layout as PanelLayout;
    for (const widget of [...layout.widgets]) widget.dispose();
    this.panel = panel;
    if (panel) layout.addWidget(panel);
  }

  /** Stops following and shows a line of text instead of the panel. */
  showNotice(text: string): void {
    this.stopPolling();
    this.setPanel(null);
    this.sweepDir = null;
    const notice = new Widget();
    notice.addClass('jp-SpyglassRunOutput-notice');
    notice.node.textContent = text;
    (this.layout as PanelLayout).addWidget(notice);
  }
}
