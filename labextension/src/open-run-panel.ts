import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PanelLayout, Widget } from '@lumino/widgets';
import type { LineageNode } from '@spyglass/protocol';
import type { FollowHandle, RunHub, StoreFollowers } from '@spyglass/store';
import { RunPanel } from '@spyglass/widgets';
import { loggedChartViews } from './logged-chart-view.js';
import type { StoreClient } from './StoreClient.js';

let opened = 0;

/** A main-area tab holding a run's panel; its store follower lives as long as the tab. */
class RunTab extends Widget {
  constructor(
    panel: RunPanel,
    private readonly following: FollowHandle,
  ) {
    super();
    this.id = `spyglass-run-tab-${++opened}`;
    this.addClass('jp-SpyglassRunTab');
    this.title.closable = true;
    this.layout = new PanelLayout();
    (this.layout as PanelLayout).addWidget(panel);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.following.dispose();
    super.dispose();
  }
}

/**
 * Opens the run of a lineage node in a tab beside the notebook, read from the store (the run directory is
 * `<store_root>/<project>/<run_id>`, as the store layout defines it).
 */
export function openRunPanel(
  app: JupyterFrontEnd,
  hub: RunHub,
  followers: StoreFollowers<StoreClient>,
  storeRoot: string,
  node: LineageNode,
): void {
  const run = node.run;
  if (!run) return;
  openStoredRun(app, hub, followers, storeRoot, node.project, run.run_id, run.name);
}

/** Opens the run `<storeRoot>/<project>/<runId>` in a tab, read from the store (lineage nodes, run.url links). */
export function openStoredRun(
  app: JupyterFrontEnd,
  hub: RunHub,
  followers: StoreFollowers<StoreClient>,
  storeRoot: string,
  project: string,
  runId: string,
  name?: string | null,
): void {
  const runDir = `${storeRoot.replace(/\/+$/, '')}/${project}/${runId}`;
  openRunDir(app, hub, followers, runDir, project, runId, name);
}

/** Opens the run stored in `runDir` in a tab beside the notebook (a sweep trial's run). */
export function openRunDir(
  app: JupyterFrontEnd,
  hub: RunHub,
  followers: StoreFollowers<StoreClient>,
  runDir: string,
  project: string,
  runId: string,
  name?: string | null,
): void {
  hub.updateRun({ run_id: runId, name: name ?? runId, project, run_dir: runDir });
  const loggedChartView = loggedChartViews(hub, followers.client, runDir);
  const tab = new RunTab(
    new RunPanel({ source: hub.run(runId), loggedChartView }),
    followers.follow(runId, runDir),
  );
  tab.title.label = name || runId;
  tab.title.caption = `${project} / ${runId}`;
  app.shell.add(tab, 'main', { mode: 'split-right' });
  app.shell.activateById(tab.id);
}
