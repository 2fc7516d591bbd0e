import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { RUN_MIME_TYPE } from '@spyglass/protocol';
import { createBrowserEngine } from '@spyglass/widgets';
import { registerCommands } from './commands.js';
import { duckdbAssets } from './duckdb-assets.js';
import { KernelWatcher } from './KernelWatcher.js';
import { RunHub } from './RunHub.js';
import { RunOutputRenderer } from './RunOutputRenderer.js';
import { StoreClient } from './StoreClient.js';
import { StoreFollowers } from './StoreFollowers.js';

/** Wires the page: one hub (DuckDB-WASM), a comm channel on every notebook kernel, the run renderer, commands. */
export const spyglassPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:plugin',
  description: 'Live Spyglass run panels: comm target, DuckDB-WASM cache, MIME renderer.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, notebooks: INotebookTracker, rendermime: IRenderMimeRegistry) => {
    const hub = new RunHub(() => createBrowserEngine(duckdbAssets()));
    const followers = new StoreFollowers(hub, new StoreClient(app.serviceManager.serverSettings));
    const watcher = new KernelWatcher(hub);
    notebooks.forEach((panel) => {
      watcher.watch(panel.sessionContext);
    });
    notebooks.widgetAdded.connect((_, panel) => watcher.watch(panel.sessionContext));

    // Rank 0 puts the live panel ahead of the bundle's image/svg+xml and text/plain fallbacks. `safe` because
    // the output is plain data (ids and names, all shown as text) and the charts run no code from it.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [RUN_MIME_TYPE],
        defaultRank: 0,
        createRenderer: () => new RunOutputRenderer(hub, followers),
      },
      0,
    );
    registerCommands(app.commands, hub);
  },
};
