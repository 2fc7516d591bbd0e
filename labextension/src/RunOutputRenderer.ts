import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PanelLayout, Widget } from '@lumino/widgets';
import { PROTOCOL_MAJOR, RUN_MIME_TYPE } from '@spyglass/protocol';
import type { FollowHandle, RunHub, StoreFollowers } from '@spyglass/store';
import { messages, RunPanel } from '@spyglass/widgets';
import { loggedChartViews } from './logged-chart-view.js';
import { parseRunOutput } from './run-output.js';
import type { StoreClient } from './StoreClient.js';

/**
 * Renders a run output as a live RunPanel bound to the page's hub; while it is shown, the run's store follower
 * loads its history and keeps it current when no kernel delivers it live.
 */
export class RunOutputRenderer extends Widget implements IRenderMime.IRenderer {
  private panel: RunPanel | null = null;
  private following: FollowHandle | null = null;

  constructor(
    private readonly hub: RunHub,
    private readonly followers: StoreFollowers<StoreClient>,
  ) {
    super();
    this.addClass('jp-SpyglassRunOutput');
    this.layout = new PanelLayout();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const parsed = parseRunOutput(model.data[RUN_MIME_TYPE]);
    if (parsed.kind === 'invalid') {
      console.warn(`Spyglass: malformed run output (${parsed.reason})`);
      this.showNotice(messages.badOutput);
      return;
    }
    const { data } = parsed;
    if (parsed.kind === 'newer') {
      this.showNotice(
        messages.newerProtocol(`${data.protocol.major}.${data.protocol.minor}`, `${PROTOCOL_MAJOR}.x`),
      );
      return;
    }
    // update_display_data re-renders the same run: keep the live panel instead of rebuilding it.
    if (this.panel?.source.runId === data.run_id) return;
    this.hub.updateRun({
      run_id: data.run_id,
      name: data.name,
      project: data.project,
      run_dir: data.run_dir,
    });
    const loggedChartView = loggedChartViews(this.hub, this.followers.client, data.run_dir);
    this.setPanel(new RunPanel({ source: this.hub.run(data.run_id), loggedChartView }));
    this.following = this.followers.follow(data.run_id, data.run_dir);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.setPanel(null);
    super.dispose();
  }

  private setPanel(panel: RunPanel | null): void {
    const layout = this.layout as PanelLayout;
    for (const widget of [...layout.widgets]) widget.dispose();
    this.following?.dispose();
    this.following = null;
    this.panel = panel;
    if (panel) layout.addWidget(panel);
  }

  private showNotice(text: string): void {
    const notice = new Widget();
    notice.addClass('jp-SpyglassRunOutput-notice');
    notice.node.textContent = text;
    this.setPanel(null);
    (this.layout as PanelLayout).addWidget(notice);
  }
}
