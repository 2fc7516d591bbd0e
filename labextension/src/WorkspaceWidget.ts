import { PanelLayout, Widget } from '@lumino/widgets';
import type { SqlEngine, WorkspaceData } from '@spyglass/store';
import {
  describeError,
  type EmbeddedPanelHost,
  type LayoutStore,
  styledControl,
  WorkspacePanel,
  workspaceMessages,
} from '@spyglass/widgets';
import { closeWorkspaceSession } from './workspace-session.js';

/** A project's data layer and the engine behind it (closed with the workspace). */
export interface WorkspaceSession {
  data: WorkspaceData;
  engine: SqlEngine;
}

export interface WorkspaceWidgetOptions {
  storeRoot: string;
  project: string;
  /** Projects to offer in the picker (the store's); the widget switches project in place. */
  projects: string[];
  openSession: (storeRoot: string, project: string) => Promise<WorkspaceSession>;
  layoutStore: (storeRoot: string, project: string) => LayoutStore;
  exportParquet?: (columns: string[], rows: unknown[][]) => Promise<Uint8Array>;
  /** Views for the table, sweep and lineage panels of a project (see workspace-embeds.ts). */
  embeddedPanels?: (storeRoot: string, project: string) => EmbeddedPanelHost;
  select?: string[];
}

/**
 * The main-area workspace: a project picker over a WorkspacePanel. Each project gets its own data session (a
 * connection and schema of its own in the page's DuckDB-WASM database + WorkspaceData), disposed when the project
 * changes or the tab closes.
 */
export class WorkspaceWidget extends Widget {
  private panel: WorkspacePanel | null = null;
  private session: WorkspaceSession | null = null;
  private readonly picker = document.createElement('select');
  private readonly notice = document.createElement('p');
  private storeRoot: string;
  private projectName: string;
  private opening: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkspaceWidgetOptions) {
    super();
    this.addClass('jp-SpyglassWorkspaceWidget');
    this.storeRoot = options.storeRoot;
    this.projectName = options.project;
    this.title.label = workspaceMessages.title(options.project);
    this.title.closable = true;
    const header = document.createElement('div');
    header.className = 'jp-SpyglassWorkspaceWidget-header';
    const label = document.createElement('label');
    label.textContent = 'Project ';
    this.picker.className = 'jp-SpyglassWorkspaceWidget-project';
    styledControl(this.picker);
    this.setProjects(options.projects);
    this.picker.addEventListener('change', () => void this.open(this.picker.value));
    label.append(this.picker);
    const root = document.createElement('span');
    root.className = 'jp-SpyglassWorkspaceWidget-root';
    root.textContent = options.storeRoot;
    this.notice.className = 'jp-SpyglassWorkspace-message jp-mod-error';
    this.notice.hidden = true;
    header.append(label, root);
    const top = new Widget();
    top.node.append(header, this.notice);
    const layout = new PanelLayout();
    layout.addWidget(top);
    this.layout = layout;
    this.node.dataset.project = options.project;
  }

  get project(): string {
    return this.projectName;
  }

  get store(): string {
    return this.storeRoot;
  }

  /** Opens (or switches to) a project; resolves when its runs are listed. */
  open(project: string, select?: string[]): Promise<void> {
    this.opening = this.opening.then(() => this.openNow(project, select));
    return this.opening;
  }

  /** Selects runs in the open project (the run browser's click). */
  selectRuns(runIds: string[]): void {
    this.panel?.selectRuns(runIds);
  }

  setProjects(projects: string[]): void {
    const all = projects.includes(this.projectName) ? projects : [this.projectName, ...projects];
    this.picker.replaceChildren(
      ...all.map((p) => {
        const o = document.createElement('option');
        o.value = p;
        o.textContent = p;
        return o;
      }),
    );
    this.picker.value = this.projectName;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.closeSession();
    super.dispose();
  }

  private async openNow(project: string, select?: string[]): Promise<void> {
    if (this.isDisposed) return;
    if (this.panel && project === this.projectName) {
      if (select) this.panel.selectRuns(select);
      return;
    }
    this.closeSession();
    this.projectName = project;
    this.picker.value = project;
    this.title.label = workspaceMessages.title(project);
    this.node.dataset.project = project;
    this.notice.hidden = true;
    try {
      const session = await this.options.openSession(this.storeRoot, project);
      if (this.isDisposed) {
        await session.data.dispose();
        return;
      }
      this.session = session;
      const panel = new WorkspacePanel({
        data: session.data,
        exportParquet: this.options.exportParquet,
        embeddedPanels: this.options.embeddedPanels?.(this.storeRoot, project),
        project,
        layoutStore: this.options.layoutStore(this.storeRoot, project),
        select: select ?? this.options.select,
      });
      this.panel = panel;
      (this.layout as PanelLayout).addWidget(panel);
      await panel.start();
    } catch (error) {
      this.notice.textContent = workspaceMessages.listFailed(describeError(error));
      this.notice.hidden = false;
    }
  }

  private closeSession(): void {
    this.panel?.dispose();
    this.panel = null;
    const session = this.session;
    this.session = null;
    if (session) closeWorkspaceSession(session);
  }
}
