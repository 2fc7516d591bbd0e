import type { ViewNode } from '@spyglass/lineage';
import type { LineageNode } from '@spyglass/protocol';
import { el } from '../dom.js';
import { messages } from '../messages.js';
import { formatBytes } from './format-bytes.js';
import { lineageButton as button } from './lineage-button.js';

/** What the details pane can ask the panel to do. */
export interface DetailsActions {
  openRun: ((node: LineageNode) => void) | null;
  expandGroup: (groupId: string) => void;
  explore: (nodeId: string) => void;
  /** The panel can fetch a node's neighbourhood from the server, so every node may be explored. */
  canFetch: boolean;
  close: () => void;
}

const MAX_MEMBERS_LISTED = 20;
const createdFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const F = messages.lineageField;

/**
 * The pane beside the graph describing the selected node: a run (id, state, job type, a button opening its run
 * panel), an artifact version (type, version, aliases, digest, size, files, registry links) or a folded group.
 * Every value from data goes in through textContent.
 */
export class LineageDetails {
  readonly node = el(document, 'aside', 'jp-SpyglassLineage-details');

  constructor(private readonly actions: DetailsActions) {
    this.node.setAttribute('aria-live', 'polite');
    this.clear();
  }

  clear(): void {
    this.node.removeAttribute('data-spyglass-details');
    this.node.replaceChildren(el(document, 'p', 'jp-SpyglassLineage-hint', messages.lineageHint));
  }

  show(view: ViewNode, labelOf: (id: string) => string): void {
    const heading = el(document, 'h3', 'jp-SpyglassLineage-detailsTitle');
    const close = button(messages.lineageClose, () => this.actions.close(), { text: '×' });
    close.classList.add('jp-SpyglassLineage-close');
    const rows: Array<[string, string | string[]]> = [];
    const buttons: HTMLButtonElement[] = [];
    const run = view.node?.run;
    const artifact = view.node?.artifact;
    if (view.group) {
      heading.textContent = `${labelOf(view.id)}`;
      const members = view.group.members.slice(0, MAX_MEMBERS_LISTED).map(labelOf);
      if (view.group.members.length > MAX_MEMBERS_LISTED) members.push('…');
      rows.push([F.members, members]);
      buttons.push(button(messages.lineageExpandGroup, () => this.actions.expandGroup(view.id)));
    } else if (run && view.node) {
      const node = view.node;
      heading.textContent = run.name || run.run_id;
      rows.push([F.runId, run.run_id], [F.state, run.state ?? messages.lineageNone]);
      rows.push([F.jobType, run.job_type ?? messages.lineageNone], [F.project, node.project]);
      rows.push([F.created, when(run.created_at)]);
      const openRun = this.actions.openRun;
      if (openRun) buttons.push(button(messages.lineageOpenRun, () => openRun(node)));
    } else if (artifact && view.node) {
      heading.textContent = `${artifact.name}:${artifact.version}`;
      rows.push([F.type, artifact.type], [F.version, artifact.version], [F.aliases, artifact.aliases]);
      rows.push([F.digest, artifact.digest || messages.lineageNone], [F.size, formatBytes(artifact.size)]);
      rows.push([F.files, String(artifact.file_count)], [F.registry, artifact.registry_links]);
      rows.push([F.project, view.node.project], [F.created, when(artifact.created_at)]);
    }
    if (!view.group && (view.hiddenNeighbours > 0 || this.actions.canFetch)) {
      const note =
        view.hiddenNeighbours > 0
          ? messages.lineageHiddenNeighbours(view.hiddenNeighbours)
          : messages.lineageExplore;
      buttons.push(button(messages.lineageExplore, () => this.actions.explore(view.id), { title: note }));
    }
    const header = el(document, 'div', 'jp-SpyglassLineage-detailsHeader');
    header.append(heading, close);
    const actions = el(document, 'div', 'jp-SpyglassLineage-actions');
    actions.append(...buttons);
    this.node.setAttribute('data-spyglass-details', view.id);
    this.node.setAttribute('data-kind', view.kind);
    this.node.replaceChildren(header, fieldTable(rows), actions);
  }
}

function when(seconds: number | null): string {
  return seconds === null ? messages.lineageNone : createdFormat.format(seconds * 1000);
}

/** Field/value rows; a list value becomes chips (or a dash when empty). Value cells carry data-field for tests. */
function fieldTable(rows: ReadonlyArray<[string, string | string[]]>): HTMLTableElement {
  const table = el(document, 'table', 'jp-SpyglassLineage-fields');
  const body = el(document, 'tbody');
  for (const [field, value] of rows) {
    const tr = el(document, 'tr');
    const th = el(document, 'th', undefined, field);
    th.scope = 'row';
    const td = el(document, 'td');
    td.setAttribute('data-field', field);
    if (Array.isArray(value)) {
      if (value.length === 0) td.textContent = messages.lineageNone;
      for (const item of value) {
        td.append(el(document, 'span', 'jp-SpyglassTag', item));
      }
    } else {
      td.textContent = value;
      td.title = value;
    }
    tr.append(th, td);
    body.append(tr);
  }
  table.append(body);
  return table;
}
