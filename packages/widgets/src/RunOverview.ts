import { flattenRecord } from '@spyglass/charts';
import type { RunMetadata } from '@spyglass/protocol';
import { KeyValueTable } from './KeyValueTable.js';
import { messages } from './messages.js';

/**
 * The collapsible block under a run's header: its config and summary as key/value tables, side by side, then the
 * files run.save() copied and the alerts run.alert() recorded (each shown only when the run has some).
 */
export class RunOverview {
  readonly node: HTMLDetailsElement;
  private readonly counts = document.createElement('span');
  private readonly config = new KeyValueTable(messages.config, 'data-spyglass-config', messages.noConfig);
  private readonly summary = new KeyValueTable(messages.summary, 'data-spyglass-summary', messages.noSummary);
  private readonly files = new KeyValueTable(messages.files, 'data-spyglass-files', messages.noFiles);
  private readonly alerts = new KeyValueTable(messages.alerts, 'data-spyglass-alerts', messages.noAlerts);

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
    tables.append(this.config.node, this.summary.node, this.files.node, this.alerts.node);
    this.node.append(label, tables);
    this.node.hidden = true;
    this.files.node.hidden = true;
    this.alerts.node.hidden = true;
  }

  /**
   * Shows the run.json's config and summary; hidden until run.json has been read. `live` holds the latest logged
   * values of a running run: they are newer than the summary run.json had at its last write, so they win.
   */
  update(meta: RunMetadata | null, live: Readonly<Record<string, number>> = {}): void {
    this.node.hidden = meta === null;
    if (meta === null) return;
    const config = flattenRecord(meta.config);
    const summary = flattenRecord({ ...meta.summary, ...live });
    this.config.update(config);
    this.summary.update(summary);
    const files = meta.files ?? [];
    this.files.node.hidden = files.length === 0;
    this.files.update(files.map((f) => ({ key: f.path, value: messages.savedFile(f.size, f.policy) })));
    const alerts = meta.alerts ?? [];
    this.alerts.node.hidden = alerts.length === 0;
    this.alerts.node.setAttribute('data-alert-level', worstLevel(alerts.map((a) => a.level)));
    this.alerts.update(
      alerts.map((a) => ({
        key: messages.alertKey(a.level, a.title),
        value: messages.alertValue(a.text, a.at),
      })),
    );
    this.counts.textContent = messages.overviewCounts(config.length, summary.length);
  }
}

/** ERROR over WARN over INFO: the colour the alerts table takes. */
function worstLevel(levels: string[]): string {
  if (levels.includes('ERROR')) return 'ERROR';
  return levels.includes('WARN') ? 'WARN' : 'INFO';
}
