import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { LINEAGE_MIME_TYPE, type LineageOutputData, parseLineageOutput } from '@spyglass/protocol';
import { describeError, messages } from '@spyglass/widgets';
import { LineageView } from './lineage-view.js';

/**
 * Renders a lineage output (issue 8's MIME bundle) as a LineageView (shared with the workspace's lineage
 * panel); a malformed bundle is shown as a message.
 */
export class LineageOutputRenderer extends LineageView implements IRenderMime.IRenderer {
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    let data: LineageOutputData;
    try {
      data = parseLineageOutput(model.data[LINEAGE_MIME_TYPE]);
    } catch (error) {
      console.warn('Spyglass: malformed lineage output', error);
      this.showNotice(`${messages.badOutput} (${describeError(error)})`);
      return;
    }
    this.display(data);
  }
}
