import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { TRACES_MIME_TYPE } from '@spyglass/protocol';
import { TracesOutputRenderer } from '../TracesOutputRenderer.js';
import { ISpyglassCore } from '../tokens.js';
import { setupTraces } from '../traces-setup.js';

/**
 * The trace panel: the `spyglass:open-traces` command (a project's @sg.op calls in the main area) and the
 * `sg.display_traces()` output, both following the calls the page's kernels stream (the core's live calls).
 */
export const tracesPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:traces',
  description: "The Spyglass trace panel: a project's traced calls, their trees, inputs and outputs, live.",
  autoStart: true,
  requires: [ISpyglassCore, IRenderMimeRegistry],
  optional: [ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    core: ISpyglassCore,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
  ) => {
    setupTraces(app, palette, core.calls);
    // Safe: the output is plain data (project, store root); every value is drawn as text or sanitized markdown.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [TRACES_MIME_TYPE],
        defaultRank: 0,
        createRenderer: () => new TracesOutputRenderer(app.serviceManager.serverSettings, core.calls),
      },
      0,
    );
  },
};
