import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { parseSweepOutput, SWEEP_MIME_TYPE } from '@spyglass/protocol';
import { describeError, sweepMessages } from '@spyglass/widgets';
import { SweepView } from './sweep-view.js';

/**
 * Renders a sweep output (issue 7's MIME bundle) as a SweepView, which follows the sweep through the server
 * (shared with the workspace's sweep panel); a malformed bundle is shown as a message.
 */
export class SweepOutputRenderer extends SweepView implements IRenderMime.IRenderer {
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    let data: ReturnType<typeof parseSweepOutput>;
    try {
      data = parseSweepOutput(model.data[SWEEP_MIME_TYPE]);
    } catch (error) {
      console.warn('Spyglass: malformed sweep output', error);
      this.showNotice(sweepMessages.badOutput(describeError(error)));
      return;
    }
    await this.display(data.sweep_dir, data.snapshot);
  }
}
