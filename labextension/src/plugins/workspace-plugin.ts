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
import { WORKSPACE_MIME_TYPE } from '@spyglass/protocol';
import { openFromUrl } from '../open-from-url.js';
import { openRunDir, openRunPanel } from '../open-run-panel.js';
import { ISpyglassCore } from '../tokens.js';
import { setupWorkspace } from '../workspace-setup.js';

/** The workspace: its command, launcher card, sidebar run browser, `sg.workspace` output and run.url links. */
export const workspacePlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:workspace',
  description:
    'The Spyglass workspace (every run of a project), its run browser sidebar and /lab?spyglass-* links.',
  autoStart: true,
  requires: [ISpyglassCore, INotebookTracker, IRenderMimeRegistry],
  // The launcher card, palette entry, restore after reload and sidebar use these when present.
  optional: [ICommandPalette, ILauncher, ILayoutRestorer, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    core: ISpyglassCore,
    notebooks: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    labShell: ILabShell | null,
  ) => {
    const { hub, client, followers } = core;
    const workspace = setupWorkspace(app, notebooks, palette, launcher, restorer, labShell, {
      hub,
      client,
      openRun: (storeRoot, node) => openRunPanel(app, hub, followers, storeRoot, node),
      openTrialRun: (run, project) => openRunDir(app, hub, followers, run.runDir, project, run.runId),
    });
    // Safe, since the output names a store and project only; every run value it shows is text or drawn by Vega.
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [WORKSPACE_MIME_TYPE],
        defaultRank: 0,
        createRenderer: workspace.createRenderer,
      },
      0,
    );
    // run.url / run.project_url links: /lab?spyglass-store=...&spyglass-run=<project>/<id> opens that run.
    openFromUrl(app, hub, followers);
  },
};
