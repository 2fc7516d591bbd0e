import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ServerConnection } from '@jupyterlab/services';
import { PanelLayout, Widget } from '@lumino/widgets';
import { PROTOCOL_MAJOR, parseTracesOutput, TRACES_MIME_TYPE } from '@spyglass/protocol';
import { type LiveCallFeed, messages, TracePanel } from '@spyglass/widgets';
import { TracesClient } from './TracesClient.js';

/**
 * Renders `sg.display_traces(project)` (or a trace session as a cell's value) as a TracePanel that follows the
 * calls live: the kernel's `calls` messages grow the newest trace's tree while the cell runs, the store answers
 * the rest, so a reloaded page rebuilds the same panel from it.
 */
export class TracesOutputRenderer extends Widget implements IRenderMime.IRenderer {
  private shown = '';

  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly live: LiveCallFeed,
  ) {
    super();
    this.addClass('jp-SpyglassTracesOutput');
    this.layout = new PanelLayout();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const parsed = parseTracesOutput(model.data[TRACES_MIME_TYPE]);
    if (parsed.kind === 'invalid') {
      console.warn(`Spyglass: malformed traces output (${parsed.reason})`);
      return this.setContent(notice(messages.badOutput));
    }
    const { data } = parsed;
    if (parsed.kind === 'newer') {
      const text = messages.newerProtocol(
        `${data.protocol.major}.${data.protocol.minor}`,
        `${PROTOCOL_MAJOR}.x`,
      );
      return this.setContent(notice(text));
    }
    // Re-rendering the same output (a notebook save, update_display_data) keeps the live panel.
    const key = `${data.store_root}\n${data.project}`;
    if (key === this.shown) return;
    this.shown = key;
    const source = new TracesClient(this.settings, data.store_root, data.project);
    this.setContent(
      new TracePanel({
        source,
        project: data.project,
        live: this.live,
        storeRoot: data.store_root,
        follow: true,
      }),
    );
  }

  private setContent(widget: Widget): void {
    const layout = this.layout as PanelLayout;
    for (const old of [...layout.widgets]) old.dispose();
    layout.addWidget(widget);
  }
}

function notice(text: string): Widget {
  const widget = new Widget();
  widget.addClass('jp-SpyglassRunOutput-notice');
  widget.node.textContent = text;
  return widget;
}
