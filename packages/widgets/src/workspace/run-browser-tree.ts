/**
 * The run browser's model, DOM-free: the store's projects with their runs, filtered by the search box, and the
 * rows the tree shows in order (what the arrow keys walk through).
 */

/** What the tree shows of a run: the fields of one entry of GET /spyglass/api/v1/runs it needs. */
export interface BrowserRun {
  run_id: string;
  name: string | null;
  state: string | null;
  created_at: number | null;
  damaged: string | null;
}

/** A project and its runs; `runs` is null until they are read, `error` says why they could not be. */
export interface BrowserProject {
  name: string;
  runs: BrowserRun[] | null;
  error?: string;
}

/** The badge kinds the tree colours; any other state shows as `other` with its own text. */
export type BadgeKind = 'running' | 'finished' | 'failed' | 'crashed' | 'preempting' | 'damaged' | 'other';

const KNOWN_STATES = new Set<string>(['running', 'finished', 'failed', 'crashed', 'preempting']);

/** A run's state badge: a damaged run (unreadable files) shows "damaged" whatever its recorded state. */
export function runBadge(run: BrowserRun): { kind: BadgeKind; text: string } {
  if (run.damaged !== null) return { kind: 'damaged', text: 'damaged' };
  const state = run.state ?? 'unknown';
  return { kind: KNOWN_STATES.has(state) ? (state as BadgeKind) : 'other', text: state };
}

/** A project as the tree shows it: the runs kept by the search (newest first) and whether it is open. */
export interface TreeProject {
  name: string;
  runs: BrowserRun[];
  /** All its runs, or null while they are being read. */
  total: number | null;
  error: string | null;
  expanded: boolean;
}

export type TreeRow =
  | { kind: 'project'; project: string }
  | { kind: 'run'; project: string; run: BrowserRun };

const newestFirst = (a: BrowserRun, b: BrowserRun) => (b.created_at ?? 0) - (a.created_at ?? 0);

/**
 * The projects the search keeps: a project whose name matches keeps all its runs; otherwise it shows only its
 * runs whose name or id matches, opened so they are seen; a project with neither is left out. An empty search
 * keeps everything, opened as the user left it.
 */
export function browserTree(
  projects: readonly BrowserProject[],
  search: string,
  expanded: ReadonlySet<string>,
): TreeProject[] {
  const needle = search.trim().toLowerCase();
  const matches = (text: string | null) => text?.toLowerCase().includes(needle) ?? false;
  return projects.flatMap((project): TreeProject[] => {
    const all = [...(project.runs ?? [])].sort(newestFirst);
    const base = {
      name: project.name,
      total: project.runs === null ? null : project.runs.length,
      error: project.error ?? null,
    };
    if (needle === '' || matches(project.name)) {
      return [{ ...base, runs: all, expanded: expanded.has(project.name) }];
    }
    const runs = all.filter((run) => matches(run.name) || matches(run.run_id));
    return runs.length > 0 ? [{ ...base, runs, expanded: true }] : [];
  });
}

/** The rows in view, top to bottom: each project, then its runs when it is open. */
export function treeRows(tree: readonly TreeProject[]): TreeRow[] {
  return tree.flatMap((project): TreeRow[] => [
    { kind: 'project', project: project.name },
    ...(project.expanded
      ? project.runs.map((run): TreeRow => ({ kind: 'run', project: project.name, run }))
      : []),
  ]);
}

/** A stable key for a row (the tree keeps the focused row across re-renders by it). */
export function treeRowKey(row: TreeRow): string {
  return row.kind === 'project' ? `p:${row.project}` : `r:${row.project}/${row.run.run_id}`;
}
