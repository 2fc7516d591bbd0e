import { Widget } from '@lumino/widgets';
import { assignedRunColor, projectRunColors, type RunColors } from '@spyglass/charts';
import type { RunListing } from '@spyglass/protocol';
import {
  type BrowserProject,
  browserTree,
  button,
  describeError,
  el,
  formatCreated,
  rowAfterKey,
  runBadge,
  styledButton,
  styledControl,
  type TreeProject,
  type TreeRow,
  treeRowKey,
  treeRows,
  workspaceMessages,
} from '@spyglass/widgets';
import type { StoreProjects } from './WorkspaceLayoutClient.js';

export interface RunBrowserSource {
  projects(): Promise<StoreProjects>;
  runs(storeRoot: string, project: string): Promise<RunListing>;
}

/** Opens the workspace of a project, optionally with some runs selected. */
export type OpenWorkspace = (storeRoot: string, project: string, select?: string[]) => void;

const text = workspaceMessages.browser;

/**
 * The left sidebar's run browser: a tree of the store's projects (run count) and their runs (colour, name, state
 * badge, created time), filtered by a search box over project and run names. A click or Enter on a project opens
 * its workspace; on a run, the workspace with that run selected; the caret (or Right/Left) opens and closes a
 * project. One row is in the tab order and the arrow keys move it (the ARIA tree pattern). All names are text.
 */
export class RunBrowserPanel extends Widget {
  private readonly tree = el(document, 'ul', 'jp-SpyglassRunBrowser-tree');
  private readonly status = el(document, 'p', 'jp-SpyglassRunBrowser-status');
  private readonly search = el(document, 'input', 'jp-SpyglassRunBrowser-search');
  private storeRoot = '';
  private projects: BrowserProject[] = [];
  private readonly expanded = new Set<string>();
  /** Each project's run colours, assigned as the workspace assigns them (creation order). */
  private readonly colors = new Map<string, RunColors>();
  /** The key of the row in the tab order (treeRowKey). */
  private active = '';
  private generation = 0;

  constructor(
    private readonly source: RunBrowserSource,
    private readonly openWorkspace: OpenWorkspace,
  ) {
    super();
    this.id = 'spyglass-run-browser';
    this.addClass('jp-SpyglassRunBrowser');
    this.title.caption = text.title;
    const header = el(document, 'div', 'jp-SpyglassRunBrowser-header');
    const refresh = styledButton(
      button(document, '↻', () => void this.refresh(), 'jp-SpyglassRunBrowser-refresh'),
      text.refresh,
      true,
    );
    refresh.title = text.refresh;
    header.append(el(document, 'h2', undefined, text.title), refresh);
    const searchGroup = el(document, 'div', 'jp-InputGroup jp-SpyglassRunBrowser-searchGroup');
    this.search.type = 'search';
    this.search.placeholder = text.searchPlaceholder;
    styledControl(this.search, text.searchLabel);
    this.search.addEventListener('input', () => this.render());
    searchGroup.append(this.search);
    this.status.setAttribute('aria-live', 'polite');
    this.tree.setAttribute('role', 'tree');
    this.tree.setAttribute('aria-label', text.treeLabel);
    this.tree.addEventListener('keydown', (event) => this.onKey(event));
    this.node.append(header, searchGroup, this.status, this.tree);
  }

  protected override onAfterShow(): void {
    void this.refresh();
  }

  /** Re-reads the projects, then every project's runs (for the counts, badges and the search over run names). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.status.textContent = workspaceMessages.loadingRuns;
    let listing: StoreProjects;
    try {
      listing = await this.source.projects();
    } catch (error) {
      this.status.textContent = workspaceMessages.listFailed(describeError(error));
      return;
    }
    if (generation !== this.generation) return;
    const { store_root, projects } = listing;
    const known = new Map(this.projects.map((p) => [p.name, p]));
    this.storeRoot = store_root;
    this.projects = projects.map((name) => ({ name, runs: known.get(name)?.runs ?? null }));
    if (projects.length === 1) this.expanded.add(projects[0]);
    this.status.textContent = projects.length === 0 ? workspaceMessages.noRuns : store_root;
    this.node.dataset.storeRoot = store_root;
    this.render();
    await Promise.all(projects.map((name) => this.loadRuns(name, generation)));
    if (generation === this.generation) this.node.dataset.loaded = 'true';
  }

  private async loadRuns(name: string, generation: number): Promise<void> {
    let entry: BrowserProject;
    try {
      const listing = await this.source.runs(this.storeRoot, name);
      entry = { name, runs: listing.runs };
      this.colors.set(name, projectRunColors(listing.runs));
    } catch (error) {
      entry = { name, runs: [], error: workspaceMessages.listFailed(describeError(error)) };
    }
    if (generation !== this.generation) return;
    this.projects = this.projects.map((p) => (p.name === name ? entry : p));
    this.render();
  }

  private view(): TreeProject[] {
    return browserTree(this.projects, this.search.value, this.expanded);
  }

  private render(): void {
    const hadFocus = this.tree.contains(document.activeElement);
    const tree = this.view();
    const rows = treeRows(tree);
    if (!rows.some((row) => treeRowKey(row) === this.active)) {
      this.active = rows.length > 0 ? treeRowKey(rows[0]) : '';
    }
    this.tree.replaceChildren(...tree.map((project) => this.projectNode(project)));
    this.node.dataset.projects = String(tree.length);
    if (this.search.value.trim() !== '' && tree.length === 0) {
      this.status.textContent = text.noMatch(this.search.value.trim());
    } else if (this.storeRoot !== '' && this.projects.length > 0) {
      this.status.textContent = this.storeRoot;
    }
    if (hadFocus) this.itemNode(this.active)?.focus();
  }

  private projectNode(project: TreeProject): HTMLElement {
    const key = treeRowKey({ kind: 'project', project: project.name });
    const item = this.treeItem('jp-SpyglassRunBrowser-project', key, 1);
    item.dataset.project = project.name;
    item.setAttribute('aria-expanded', String(project.expanded));
    const row = el(document, 'div', 'jp-SpyglassRunBrowser-projectRow');
    const caret = el(document, 'span', 'jp-SpyglassRunBrowser-caret', project.expanded ? '▾' : '▸');
    caret.setAttribute('aria-hidden', 'true');
    caret.addEventListener('click', (event) => {
      event.stopPropagation();
      this.toggle(project.name);
    });
    const name = el(document, 'span', 'jp-SpyglassRunBrowser-name', project.name);
    const count = el(
      document,
      'span',
      'jp-SpyglassRunBrowser-count',
      project.total === null ? '…' : String(project.total),
    );
    count.title = project.total === null ? workspaceMessages.loadingRuns : text.runCount(project.total);
    row.append(caret, name, count);
    row.addEventListener('click', () => this.openWorkspace(this.storeRoot, project.name));
    item.setAttribute(
      'aria-label',
      `${project.name}, ${project.total === null ? workspaceMessages.loadingRuns : text.runCount(project.total)}`,
    );
    item.append(row);
    if (project.expanded) {
      const group = el(document, 'ul');
      group.setAttribute('role', 'group');
      if (project.error) group.append(this.note(project.error));
      else if (project.total === 0) group.append(this.note(workspaceMessages.noRuns));
      for (const run of project.runs) group.append(this.runNode(project.name, run));
      item.append(group);
    }
    return item;
  }

  private runNode(project: string, run: TreeProject['runs'][number]): HTMLElement {
    const item = this.treeItem('jp-SpyglassRunBrowser-run', treeRowKey({ kind: 'run', project, run }), 2);
    item.dataset.runId = run.run_id;
    const badge = runBadge(run);
    item.dataset.state = badge.kind;
    const swatch = el(document, 'i', 'jp-SpyglassRunsTable-swatch');
    swatch.style.background = assignedRunColor(run.run_id, this.colors.get(project));
    const name = el(document, 'span', 'jp-SpyglassRunBrowser-name', run.name || run.run_id);
    name.title = run.run_id;
    const state = el(document, 'span', `jp-SpyglassRunBrowser-badge jp-mod-${badge.kind}`, badge.text);
    // The sidebar is narrow: month, day and time, the year in the tooltip.
    const createdAt = formatCreated(run.created_at);
    const created = el(document, 'time', 'jp-SpyglassRunBrowser-created', createdAt.slice(5));
    created.title = createdAt;
    if (run.created_at !== null) created.dateTime = new Date(run.created_at * 1000).toISOString();
    const line = el(document, 'div', 'jp-SpyglassRunBrowser-runRow');
    line.append(swatch, name, state, created);
    item.append(line);
    if (run.damaged !== null) {
      const reason = el(document, 'div', 'jp-SpyglassRunBrowser-reason', run.damaged);
      reason.title = run.damaged;
      item.append(reason);
    }
    item.setAttribute('aria-label', `${run.name || run.run_id}, ${badge.text}, ${createdAt}`);
    item.addEventListener('click', (event) => {
      event.stopPropagation();
      this.openWorkspace(this.storeRoot, project, [run.run_id]);
    });
    return item;
  }

  private treeItem(className: string, key: string, level: number): HTMLLIElement {
    const item = el(document, 'li', className);
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', String(level));
    item.dataset.key = key;
    item.tabIndex = key === this.active ? 0 : -1;
    item.addEventListener('focus', () => {
      if (this.active === key) return;
      this.itemNode(this.active)?.setAttribute('tabindex', '-1');
      this.active = key;
      item.tabIndex = 0;
    });
    return item;
  }

  private note(message: string): HTMLElement {
    return el(document, 'li', 'jp-SpyglassRunBrowser-note', message);
  }

  private itemNode(key: string): HTMLElement | null {
    for (const node of this.tree.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
      if (node.dataset.key === key) return node;
    }
    return null;
  }

  private toggle(project: string): void {
    if (this.expanded.has(project)) this.expanded.delete(project);
    else this.expanded.add(project);
    this.render();
  }

  private onKey(event: KeyboardEvent): void {
    const rows = treeRows(this.view());
    const index = rows.findIndex((row) => treeRowKey(row) === this.active);
    if (index < 0) return;
    const row = rows[index];
    const move = (to: TreeRow) => {
      this.active = treeRowKey(to);
      this.render();
      this.itemNode(this.active)?.focus();
    };
    if (event.key === 'Enter') {
      event.preventDefault();
      if (row.kind === 'project') this.openWorkspace(this.storeRoot, row.project);
      else this.openWorkspace(this.storeRoot, row.project, [row.run.run_id]);
      return;
    }
    const open = row.kind === 'project' && this.expanded.has(row.project);
    if (event.key === 'ArrowRight' && row.kind === 'project') {
      event.preventDefault();
      if (!open) this.toggle(row.project);
      else if (rows[index + 1]?.kind === 'run') move(rows[index + 1]);
      return;
    }
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      if (open) this.toggle(row.project);
      else if (row.kind === 'run') move({ kind: 'project', project: row.project });
      return;
    }
    const next = rowAfterKey(event.key, index, rows.length, 10);
    if (next === null) return;
    event.preventDefault();
    move(rows[next]);
  }
}
