import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { RunHub, StoreFollowers } from '@spyglass/store';
import { createBrowserEngine, FrameDecodeWorker, LiveCalls } from '@spyglass/widgets';
import { registerCommands } from '../commands.js';
import { duckdbAssets } from '../duckdb-assets.js';
import { KernelWatcher } from '../KernelWatcher.js';
import { StoreClient } from '../StoreClient.js';
import { ISpyglassCore } from '../tokens.js';

/** The page's one hub (DuckDB-WASM), store client and followers; a comm channel on every notebook kernel. */
export const corePlugin: JupyterFrontEndPlugin<ISpyglassCore> = {
  id: '@spyglass/labextension:core',
  description:
    'The Spyglass run hub (DuckDB-WASM cache), comm channels on notebook kernels, the store client.',
  autoStart: true,
  requires: [INotebookTracker],
  provides: ISpyglassCore,
  activate: (app: JupyterFrontEnd, notebooks: INotebookTracker): ISpyglassCore => {
    const hub = new RunHub({
      startEngine: () => createBrowserEngine(duckdbAssets()),
      decoder: new FrameDecodeWorker(),
    });
    const client = new StoreClient(app.serviceManager.serverSettings);
    const followers = new StoreFollowers(hub, client);
    const calls = new LiveCalls();
    const watcher = new KernelWatcher(hub, calls);
    notebooks.forEach((panel) => {
      watcher.watch(panel.sessionContext);
    });
    notebooks.widgetAdded.connect((_, panel) => watcher.watch(panel.sessionContext));
    registerCommands(app.commands, hub);
    return { hub, client, followers, calls };
  },
};
