import { flattenRecord } from '@spyglass/charts';
import type { RunMetadata } from '@spyglass/protocol';
import { KeyValueTable } from './KeyValueTable.js';
import { messages } from './messages.js';

/** The collapsible block under a run's header: its config and summary as key/value tables, side by side. */
export class RunOverview {
  readonly node: HTMLDetailsElement;
  private readonly counts = document.createElement('span');
  private readonly config = new KeyValueTable(messages.config, 'data-spyglass-config', messages.noConfig);
  private readonly summary = new KeyValueTable(messages.summary, 'data-spyglass-summary', messages.noSummary);

  constructor() {
    this.node = document.createElement('details');
    this.node.className = 'jp-SpyglassOverview';
    this.node.open = true;
    const label = document.createElement('summary');
    label.className = 'jp-SpyglassOverview-label';
    const title = document.createElement('span');
    title.textContent = messages.overview;
    this.counts.className = 'jp-SpyglassCount';
    label.append(title, this.counts);
    const tables = document.createElement('div');
    tables.className = 'jp-SpyglassOverview-tables';
    tables.append(this.config.node, this.summary.node);
    this.node.append(label, tables);
    this.node.hidden = true;
  }

  /** Shows the run.json's config and summary; hidden until run.json has been read. */
  update(meta: RunMetadata | null): void {
    this.node.hidden = meta === null;
    if (meta === null) return;
    const config = flattenRecord(meta.config);
    const summary = flattenRecord(meta.summary);
    this.config.update(config);
    this.summary.update(summary);
    this.counts.textContent = messages.overviewCounts(config.length, summary.length);
  }
}
