import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { parseTableOutput, TABLE_MIME_TYPE } from '@spyglass/protocol';
import { messages } from '@spyglass/widgets';
import { TableView } from './table-view.js';

/**
 * Renders a table output (issue 5's MIME bundle) as a TableView; a malformed bundle is shown as a message. The
 * explorer itself (fetching, DuckDB registration, preview, other versions) lives in TableView, shared with the
 * workspace's table panel.
 */
export class TableOutputRenderer extends TableView implements IRenderMime.IRenderer {
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const parsed = parseTableOutput(model.data[TABLE_MIME_TYPE]);
    if (parsed.kind === 'invalid') {
      console.warn(`Spyglass: malformed table output (${parsed.reason})`);
      this.showNotice(messages.badOutput);
      return;
    }
    await this.display(parsed.data);
  }
}
