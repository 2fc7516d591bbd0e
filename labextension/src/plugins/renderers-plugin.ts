import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { LINEAGE_MIME_TYPE, RUN_MIME_TYPE, SWEEP_MIME_TYPE, TABLE_MIME_TYPE } from '@spyglass/protocol';
import { LineageOutputRenderer } from '../LineageOutputRenderer.js';
import { openRunDir, openRunPanel } from '../open-run-panel.js';
import { RunOutputRenderer } from '../RunOutputRenderer.js';
import { SweepOutputRenderer } from '../SweepOutputRenderer.js';
import { TableOutputRenderer } from '../TableOutputRenderer.js';
import { ISpyglassCore } from '../tokens.js';

/**
 * The notebook outputs: run panel, sweep panel, lineage graph and table explorer. Each is `safe`: the output is
 * plain data (ids, names, values) shown as text or drawn by Vega from plain data, never markup or code.
 */
export const renderersPlugin: JupyterFrontEndPlugin<void> = {
  id: '@spyglass/labextension:renderers',
  description: 'Spyglass notebook outputs: live run panels, sweep panels, lineage graphs, table explorers.',
  autoStart: true,
  requires: [ISpyglassCore, IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, core: ISpyglassCore, rendermime: IRenderMimeRegistry) => {
    const { hub, client, followers } = core;
    // Rank 0 puts each panel ahead of the bundle's image/svg+xml and text/plain fallbacks.
    const add = (mimeType: string, createRenderer: () => IRenderMime.IRenderer) =>
      rendermime.addFactory({ safe: true, mimeTypes: [mimeType], defaultRank: 0, createRenderer }, 0);
    add(RUN_MIME_TYPE, () => new RunOutputRenderer(hub, followers));
    // The sweep panel polls the sweep endpoint; a trial clicked opens its run beside the notebook.
    add(
      SWEEP_MIME_TYPE,
      () =>
        new SweepOutputRenderer(client, (run, project) =>
          openRunDir(app, hub, followers, run.runDir, project, run.runId),
        ),
    );
    // The lineage panel asks the lineage endpoint for more only when the user refreshes or explores a node.
    add(
      LINEAGE_MIME_TYPE,
      () =>
        new LineageOutputRenderer(client, (storeRoot, node) =>
          openRunPanel(app, hub, followers, storeRoot, node),
        ),
    );
    // The table explorer: media as blob-URL thumbnails, html only sanitized in a sandboxed frame; queries run in
    // the page's own DuckDB-WASM.
    add(TABLE_MIME_TYPE, () => new TableOutputRenderer(hub, client));
  },
};
