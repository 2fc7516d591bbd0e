import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { EVALS_MIME_TYPE } from '@spyglass/protocol';
import { EvalsOutputRenderer } from '../EvalsOutputRenderer.js';
import { setupEvals } from '../evals-setup.js';

/** The evaluation comparison: the `spyglass:compare-evaluations` command and sg.compare_evaluations's output. */
export const evalsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:evals',
  description: "The Spyglass evaluation comparison: a project's evaluations side by side.",
  autoStart: true,
  requires: [IRenderMimeRegistry],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry, palette: ICommandPalette | null) => {
    setupEvals(app, palette);
    // Safe: the output is plain data (project, store root, run ids); every value is drawn as text.
    // Rank 10: ahead of the static HTML (50), behind the table explorer (0) that evaluate()'s summary shows.
    const createRenderer = () => new EvalsOutputRenderer(app.serviceManager.serverSettings);
    rendermime.addFactory({ safe: true, mimeTypes: [EVALS_MIME_TYPE], defaultRank: 10, createRenderer }, 10);
  },
};
