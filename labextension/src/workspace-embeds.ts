import { Widget } from '@lumino/widgets';
import {
  type LineageNode,
  parseLineageGraph,
  parseSweepSnapshot,
  type WorkspaceRun,
} from '@spyglass/protocol';
import type { RunHub } from '@spyglass/store';
import { tableVersions } from '@spyglass/store';
import {
  describeError,
  type EmbeddedPanelHost,
  type EmbeddedView,
  type TrialRun,
  tableText,
  workspaceMessages,
} from '@spyglass/widgets';
import { LineageView } from './lineage-view.js';
import type { StoreClient } from './StoreClient.js';
import { SweepView } from './sweep-view.js';
import { TableView } from './table-view.js';

type EmbeddedPanel = Parameters<EmbeddedPanelHost['create']>[0];

/** What the workspace's embedded panels need from the page: the same pieces the notebook renderers get. */
export interface EmbedServices {
  hub: RunHub;
  client: StoreClient;
  openRun: ((storeRoot: string, node: LineageNode) => void) | null;
  /** Opens a sweep trial's run (clicked in an embedded sweep panel). */
  openTrialRun: ((run: TrialRun, project: string) => void) | null;
}

/** A Lumino widget as an embedded view: attached once its cell is in the document, disposed with it. */
function asView(widget: Widget): EmbeddedView {
  const node = document.createElement('div');
  node.className = 'jp-SpyglassWorkspaceEmbed-view';
  return {
    node,
    attached: () => {
      if (!widget.isAttached && !widget.isDisposed && node.isConnected) Widget.attach(widget, node);
    },
    dispose: () => widget.dispose(),
  };
}

/** Fills a view once its data arrives; a failure becomes the view's notice, never a blank panel. */
function fill(
  view: { showNotice(text: string): void; isDisposed: boolean },
  load: () => Promise<void>,
): void {
  view.showNotice(tableText.loading);
  load().catch((error) => {
    console.warn('Spyglass: cannot load a workspace panel', error);
    if (!view.isDisposed) view.showNotice(workspaceMessages.embeddedLoadFailed(describeError(error)));
  });
}

async function showTable(
  view: TableView,
  client: StoreClient,
  run: WorkspaceRun,
  key: string,
  step: number | null,
) {
  const versions = tableVersions(await client.history(run.run_dir, -1), key);
  const chosen =
    step === null
      ? versions.reduce<(typeof versions)[number] | undefined>(
          (a, v) => (a && a.step > v.step ? a : v),
          undefined,
        )
      : versions.find((v) => v.step === step);
  if (!chosen) throw new Error(workspaceMessages.embeddedTableMissing(key, step));
  if (view.isDisposed) return;
  view.node.dataset.step = String(chosen.step);
  await view.display({
    run_dir: run.run_dir,
    path: chosen.path,
    key,
    step: chosen.step,
    nrows: 0,
    columns: [],
    inline_arrow: null,
    // An sg.plot chart (sg.sklearn's, a logged CustomChart) is drawn above its table, as in the notebook.
    spec: chosen.spec ?? null,
  });
}

/**
 * The workspace's embedded panels for one project: a table panel is the notebook's TableView over the chosen
 * version of a run's logged table, a sweep panel the SweepView (polling while the sweep is live, stopped on
 * dispose), a lineage panel the LineageView over the project's graph from the lineage endpoint.
 */
export function embeddedPanelHost(
  services: EmbedServices,
  storeRoot: string,
  project: string,
): EmbeddedPanelHost {
  const { hub, client, openRun, openTrialRun } = services;
  const sweepDir = (id: string) => `${storeRoot.replace(/\/+$/, '')}/${project}/.sweeps/${id}`;
  return {
    listSweeps: async () =>
      (await client.sweeps(storeRoot, project)).map((s) => ({ id: s.id, name: s.name, state: s.state })),
    tableSteps: async (run, key) =>
      [...new Set(tableVersions(await client.history(run.run_dir, -1), key).map((v) => v.step))].sort(
        (a, b) => a - b,
      ),
    create: (panel: EmbeddedPanel, run: WorkspaceRun | null): EmbeddedView => {
      if (panel.kind === 'table') {
        const view = new TableView(hub, client);
        const tableRun = run;
        if (!tableRun) throw new Error(workspaceMessages.embeddedRunMissing(panel.runId));
        fill(view, () => showTable(view, client, tableRun, panel.key, panel.step));
        return asView(view);
      }
      if (panel.kind === 'sweep') {
        const view = new SweepView(client, openTrialRun);
        const dir = sweepDir(panel.sweepId);
        fill(view, async () => {
          const snapshot = parseSweepSnapshot(await client.sweepSnapshot(dir));
          if (!view.isDisposed) await view.display(dir, snapshot);
        });
        return asView(view);
      }
      const view = new LineageView(client, openRun);
      fill(view, async () => {
        const graph = parseLineageGraph(await client.lineage(storeRoot, project, panel.focus ?? undefined));
        if (!view.isDisposed) view.display({ store_root: storeRoot, project, focus: panel.focus, graph });
      });
      return asView(view);
    },
  };
}
