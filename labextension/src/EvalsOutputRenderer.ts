import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ServerConnection } from '@jupyterlab/services';
import { PanelLayout, Widget } from '@lumino/widgets';
import { EVALS_MIME_TYPE } from '@spyglass/protocol';
import { EvalComparePanel, messages, parseEvalsOutput } from '@spyglass/widgets';
import { EvalsClient } from './EvalsClient.js';

/**
 * Renders `sg.compare_evaluations(...)` in the cell as the comparison panel, read from the store through the
 * server (a reloaded page draws the same panel); evaluate()'s summary carries the same type but its table
 * explorer ranks first.
 */
export class EvalsOutputRenderer extends Widget implements IRenderMime.IRenderer {
  private shown = '';

  constructor(private readonly settings: ServerConnection.ISettings) {
    super();
    this.addClass('jp-SpyglassEvalsOutput');
    this.layout = new PanelLayout();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = parseEvalsOutput(model.data[EVALS_MIME_TYPE]);
    const layout = this.layout as PanelLayout;
    if (data === null) {
      console.warn('Spyglass: malformed evaluations output');
      const notice = new Widget();
      notice.addClass('jp-SpyglassRunOutput-notice');
      notice.node.textContent = messages.badOutput;
      for (const old of [...layout.widgets]) old.dispose();
      layout.addWidget(notice);
      return;
    }
    // Re-rendering the same output (a notebook save) keeps the panel and its selection.
    const key = JSON.stringify(data);
    if (key === this.shown) return;
    this.shown = key;
    for (const old of [...layout.widgets]) old.dispose();
    const source = new EvalsClient(this.settings, data.store_root, data.project);
    layout.addWidget(new EvalComparePanel({ source, project: data.project, runIds: data.run_ids }));
  }
}
