import {
  ILabShell,
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin,
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import {
  LINEAGE_MIME_TYPE,
  RUN_MIME_TYPE,
  SWEEP_MIME_TYPE,
  TABLE_MIME_TYPE,
  WORKSPACE_MIME_TYPE,
} from '@spyglass/protocol';
import { RunHub, StoreFollowers } from '@spyglass/store';
import { createBrowserEngine, FrameDecodeWorker, type TrialRun } from '@spyglass/widgets';
import { registerCommands } from './commands.js';
import { duckdbAssets } from './duckdb-assets.js';
import { KernelWatcher } from './KernelWatcher.js';
import { LineageOutputRenderer } from './LineageOutputRenderer.js';
import { openFromUrl } from './open-from-url.js';
import { openRunDir, openRunPanel } from './open-run-panel.js';
import { setupPublishReport } from './publish-report.js';
import { RunOutputRenderer } from './RunOutputRenderer.js';
import { StoreClient } from './StoreClient.js';
import { SweepOutputRenderer } from './SweepOutputRenderer.js';
import { TableOutputRenderer } from './TableOutputRenderer.js';
import { setupWorkspace } from './workspace-setup.js';

/** Wires the page: one hub (DuckDB-WASM), a comm channel on every notebook kernel, the run renderer, commands. */
export const spyglassPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:plugin',
  description: 'Live Spyglass run panels: comm target, DuckDB-WASM cache, MIME renderer.',
  autoStart: true,
  requires: [INotebookTracker, IRenderMimeRegistry],
  // The workspace's launcher card, palette entry, restore after reload and sidebar use these when present.
  optional: [ICommandPalette, ILauncher, ILayoutRestorer, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    labShell: ILabShell | null,
  ) => {
    const hub = new RunHub({
      startEngine: () => createBrowserEngine(duckdbAssets()),
      decoder: new FrameDecodeWorker(),
    });
    const followers = new StoreFollowers(hub, new StoreClient(app.serviceManager.serverSettings));
    // A sweep trial clicked in a sweep panel (notebook output or workspace) opens its run beside the notebook.
    const openTrialRun = (run: TrialRun, project: string) =>
      openRunDir(app, hub, followers, run.runDir, project, run.runId);
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
    // The sweep panel: safe for the same reason (text and charts from plain data); it polls the sweep endpoint.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [SWEEP_MIME_TYPE],
        defaultRank: 0,
        createRenderer: () =>
          new SweepOutputRenderer(new StoreClient(app.serviceManager.serverSettings), openTrialRun),
      },
      0,
    );
    // The lineage panel: safe, as the graph is plain data shown as text and SVG shapes built from it; it asks the
    // lineage endpoint for more only when the user refreshes or explores a node.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [LINEAGE_MIME_TYPE],
        defaultRank: 0,
        createRenderer: () =>
          new LineageOutputRenderer(new StoreClient(app.serviceManager.serverSettings), (storeRoot, node) =>
            openRunPanel(app, hub, followers, storeRoot, node),
          ),
      },
      0,
    );
    // The workspace (sg.workspace): safe, since the output names a store and project only; every run value it
    // shows is text or drawn by vega from plain data.
    const workspace = setupWorkspace(app, notebooks, palette, launcher, restorer, labShell, {
      hub,
      client: new StoreClient(app.serviceManager.serverSettings),
      openRun: (storeRoot, node) => openRunPanel(app, hub, followers, storeRoot, node),
      openTrialRun,
    });
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [WORKSPACE_MIME_TYPE],
        defaultRank: 0,
        createRenderer: workspace.createRenderer,
      },
      0,
    );
    // The table explorer: safe, as every cell is shown as text (media as blob-URL thumbnails, html only sanitized
    // in a sandboxed frame) and queries run in the page's own DuckDB-WASM.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [TABLE_MIME_TYPE],
        defaultRank: 0,
        createRenderer: () =>
          new TableOutputRenderer(hub, new StoreClient(app.serviceManager.serverSettings)),
      },
      0,
    );
    registerCommands(app.commands, hub);
    // run.url / run.project_url links: /lab?spyglass-store=...&spyglass-run=<project>/<id> opens that run.
    openFromUrl(app, hub, followers);
    // "Publish report": a palette command and a notebook toolbar button (docs/reports.md).
    setupPublishReport(app, notebooks, new StoreClient(app.serviceManager.serverSettings), palette);
  },
};
