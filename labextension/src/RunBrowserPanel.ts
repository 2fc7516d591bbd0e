import { Widget } from '@lumino/widgets';
import { runColor } from '@spyglass/charts';
import type { RunListing } from '@spyglass/store';
import { describeError, workspaceMessages } from '@spyglass/widgets';
import type { StoreProjects } from './WorkspaceLayoutClient.js';

export interface RunBrowserSource {
  projects(): Promise<StoreProjects>;
  runs(storeRoot: string, project: string): Promise<RunListing>;
}

/** Opens the workspace of a project, optionally with some runs selected. */
export type OpenWorkspace = (storeRoot: string, project: string, select?: string[]) => void;

/**
 * The left sidebar's run browser: the store's projects, each expanding to its runs (name, state, damage reason).
 * Clicking a project opens its workspace; clicking a run opens it with that run selected. All names are text.
 */
export class RunBrowserPanel extends Widget {
  private readonly list = document.createElement('div');
  private readonly status = document.createElement('p');
  private storeRoot = '';

  constructor(
    private readonly source: RunBrowserSource,
    private readonly openWorkspace: OpenWorkspace,
  ) {
    super();
    this.id = 'spyglass-run-browser';
    this.addClass('jp-SpyglassRunBrowser');
    this.title.caption = 'Spyglass runs';
    const header = document.createElement('div');
    header.className = 'jp-SpyglassRunBrowser-header';
    const heading = document.createElement('h2');
    heading.textContent = 'Spyglass runs';
    const refresh = document.createElement('button');
    refresh.type = 'button';
    refresh.className = 'jp-SpyglassRunBrowser-refresh';
    refresh.textContent = '↻';
    refresh.title = 'Refresh';
    refresh.addEventListener('click', () => void this.refresh());
    header.append(heading, refresh);
    this.status.className = 'jp-SpyglassRunBrowser-status';
    this.list.className = 'jp-SpyglassRunBrowser-list';
    this.node.append(header, this.status, this.list);
  }

  protected override onAfterShow(): void {
    void this.refresh();
  }

  /** Re-reads the projects (runs are read when a project is expanded). */
  async refresh(): Promise<void> {
    this.status.textContent = workspaceMessages.loadingRuns;
    try {
      const { store_root, projects } = await this.source.projects();
      this.storeRoot = store_root;
      this.status.textContent = projects.length === 0 ? workspaceMessages.noRuns : store_root;
      this.list.replaceChildren(...projects.map((p) => this.projectNode(p)));
    } catch (error) {
      this.status.textContent = workspaceMessages.listFailed(describeError(error));
    }
  }

  private projectNode(project: string): HTMLElement {
    const node = document.createElement('details');
    node.className = 'jp-SpyglassRunBrowser-project';
    node.dataset.project = project;
    const summary = document.createElement('summary');
    const name = document.createElement('span');
    name.textContent = project;
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'jp-SpyglassRunBrowser-open';
    open.textContent = 'Open';
    open.title = `Open the workspace of ${project}`;
    open.addEventListener('click', (event) => {
      event.preventDefault();
      this.openWorkspace(this.storeRoot, project);
    });
    summary.append(name, open);
    const runs = document.createElement('ul');
    node.append(summary, runs);
    node.addEventListener('toggle', () => {
      if (node.open) void this.loadRuns(project, runs);
    });
    return node;
  }

  private async loadRuns(project: string, target: HTMLElement): Promise<void> {
    target.textContent = workspaceMessages.loadingRuns;
    try {
      const listing = await this.source.runs(this.storeRoot, project);
      const runs = [...listing.runs].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0));
      target.replaceChildren(
        ...runs.map((run) => {
          const item = document.createElement('li');
          item.className = 'jp-SpyglassRunBrowser-run';
          item.dataset.runId = run.run_id;
          const swatch = document.createElement('i');
          swatch.className = 'jp-SpyglassRunsTable-swatch';
          swatch.style.background = runColor(run.run_id);
          const name = document.createElement('button');
          name.type = 'button';
          name.textContent = run.name || run.run_id;
          name.addEventListener('click', () => this.openWorkspace(this.storeRoot, project, [run.run_id]));
          const state = document.createElement('span');
          state.className = 'jp-SpyglassRunBrowser-state';
          state.textContent = run.damaged !== null ? workspaceMessages.damaged(run.damaged) : run.state;
          item.append(swatch, name, state);
          return item;
        }),
      );
      if (runs.length === 0) target.textContent = workspaceMessages.noRuns;
    } catch (error) {
      target.textContent = workspaceMessages.listFailed(describeError(error));
    }
  }
}
