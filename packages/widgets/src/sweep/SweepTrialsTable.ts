import { formatParam } from '@spyglass/charts';
import type { SweepSnapshot, SweepTrial } from '@spyglass/protocol';
import { sweepMessages as m } from './sweep-messages.js';
import { isTrialStoppable } from './sweep-progress.js';

/**
 * The trials table: index, state, each varying parameter, the metric and a note (why a trial was stopped early;
 * a failed trial's traceback on click), plus a stop button on live trials. Every cell is text. Rows are keyed
 * by trial and rebuilt only when they change, so an open traceback stays open across updates.
 */
export class SweepTrialsTable {
  readonly node = document.createElement('section');
  private readonly table = document.createElement('table');
  private readonly head = document.createElement('thead');
  private readonly body = document.createElement('tbody');
  private readonly empty = document.createElement('p');
  private readonly rows = new Map<
    number,
    { key: string; tr: HTMLTableRowElement; detail: HTMLTableRowElement }
  >();
  private readonly expanded = new Set<number>();
  private columns = '';

  constructor(private readonly onStopTrial: ((index: number) => void) | null) {
    this.node.className = 'jp-SpyglassSweep-trials';
    const heading = document.createElement('h3');
    heading.className = 'jp-SpyglassSweep-title';
    heading.textContent = m.trialsTitle;
    this.table.setAttribute('data-spyglass-sweep-table', '');
    this.table.append(this.head, this.body);
    const scroller = document.createElement('div');
    scroller.className = 'jp-SpyglassSweep-tableScroll';
    scroller.append(this.table);
    this.empty.className = 'jp-SpyglassSweep-empty';
    this.empty.textContent = m.noTrials;
    this.node.append(heading, scroller, this.empty);
  }

  update(snapshot: SweepSnapshot): void {
    const params = snapshot.sweep.parameters.filter((p) => p.kind !== 'constant').map((p) => p.name);
    const metric = snapshot.sweep.metric?.name ?? 'metric';
    const columns = JSON.stringify([params, metric, this.onStopTrial !== null]);
    if (columns !== this.columns) {
      this.columns = columns;
      this.renderHead(params, metric);
      this.rows.clear();
      this.body.replaceChildren();
    }
    const trials = [...snapshot.trials].sort((a, b) => a.index - b.index);
    let previous: HTMLTableRowElement | null = null;
    const seen = new Set<number>();
    for (const trial of trials) {
      seen.add(trial.index);
      const stoppable = this.onStopTrial !== null && isTrialStoppable(trial, snapshot.sweep.state);
      const key = JSON.stringify([trial, stoppable, this.expanded.has(trial.index)]);
      let entry = this.rows.get(trial.index);
      if (!entry || entry.key !== key) {
        const fresh = this.renderRow(trial, params, stoppable);
        if (entry) {
          entry.tr.replaceWith(fresh.tr);
          entry.detail.replaceWith(fresh.detail);
        }
        entry = { key, ...fresh };
        this.rows.set(trial.index, entry);
      }
      // Keep rows in trial order (a row appears once a trial is claimed, in any order across agents).
      const before: ChildNode | null = previous ? previous.nextSibling : this.body.firstChild;
      if (before !== entry.tr) this.body.insertBefore(entry.tr, before);
      entry.tr.after(entry.detail);
      previous = entry.detail;
    }
    for (const [index, entry] of this.rows) {
      if (seen.has(index)) continue;
      entry.tr.remove();
      entry.detail.remove();
      this.rows.delete(index);
    }
    this.table.setAttribute('data-spyglass-sweep-trials', String(trials.length));
    this.empty.hidden = trials.length > 0;
  }

  private renderHead(params: string[], metric: string): void {
    const tr = document.createElement('tr');
    const names = [m.indexColumn, m.stateColumn, ...params, metric, m.noteColumn];
    if (this.onStopTrial) names.push('');
    tr.append(...names.map((name) => cell('th', name)));
    this.head.replaceChildren(tr);
  }

  private renderRow(trial: SweepTrial, params: string[], stoppable: boolean) {
    const tr = document.createElement('tr');
    tr.setAttribute('data-trial', String(trial.index));
    tr.setAttribute('data-state', trial.state);
    const state = cell('td', trial.state.replace('_', ' '));
    state.className = `jp-SpyglassSweep-trialState jp-mod-${trial.state}`;
    if (trial.run_id) tr.title = `run ${trial.run_id}${trial.agent ? ` · agent ${trial.agent}` : ''}`;
    tr.append(cell('td', String(trial.index)), state);
    for (const p of params) tr.append(cell('td', formatParam(trial.params[p])));
    const metric = cell('td', formatParam(trial.metric));
    metric.className = 'jp-SpyglassSweep-metric';
    tr.append(metric, this.noteCell(trial));
    if (this.onStopTrial) {
      const td = document.createElement('td');
      if (stoppable) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'jp-SpyglassSweep-button';
        b.setAttribute('data-action', 'stop_trial');
        b.textContent = m.stopTrial;
        b.title = m.stopTrialTitle(trial.index);
        b.addEventListener('click', () => {
          b.disabled = true;
          this.onStopTrial?.(trial.index);
        });
        td.append(b);
      }
      tr.append(td);
    }
    const detail = document.createElement('tr');
    detail.className = 'jp-SpyglassSweep-errorRow';
    const td = document.createElement('td');
    td.colSpan = tr.children.length;
    const pre = document.createElement('pre');
    pre.setAttribute('data-spyglass-sweep-error', String(trial.index));
    pre.textContent = trial.error ?? '';
    td.append(pre);
    detail.append(td);
    detail.hidden = !(trial.error && this.expanded.has(trial.index));
    return { tr, detail };
  }

  private noteCell(trial: SweepTrial): HTMLTableCellElement {
    const td = cell('td', trial.stopped_reason ?? '');
    td.className = 'jp-SpyglassSweep-note';
    if (trial.stopped_reason) td.title = trial.stopped_reason;
    if (trial.error) {
      const open = this.expanded.has(trial.index);
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'jp-SpyglassSweep-link';
      toggle.setAttribute('data-action', 'toggle_error');
      toggle.textContent = open ? m.hideError : m.showError;
      toggle.title = lastLine(trial.error);
      toggle.addEventListener('click', () => this.toggleError(trial.index));
      const summary = document.createElement('span');
      summary.textContent = ` ${lastLine(trial.error)}`;
      td.replaceChildren(toggle, summary);
    }
    return td;
  }

  private toggleError(index: number): void {
    if (this.expanded.has(index)) this.expanded.delete(index);
    else this.expanded.add(index);
    const entry = this.rows.get(index);
    if (!entry) return;
    const open = this.expanded.has(index);
    entry.detail.hidden = !open;
    const toggle = entry.tr.querySelector('[data-action="toggle_error"]');
    if (toggle) toggle.textContent = open ? m.hideError : m.showError;
    // The row's key includes the open state; refresh it so the next update does not rebuild the row.
    const key = JSON.parse(entry.key) as unknown[];
    key[2] = open;
    entry.key = JSON.stringify(key);
  }
}

function cell(tag: 'td' | 'th', text: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}

/** The last non-empty line of a traceback: the exception and its message. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
