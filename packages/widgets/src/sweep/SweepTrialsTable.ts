import { formatParam } from '@spyglass/charts';
import type { SweepSnapshot, SweepTrial } from '@spyglass/protocol';
import { button, el } from '../dom.js';
import { sweepMessages as m } from './sweep-messages.js';
import { isTrialStoppable } from './sweep-progress.js';

/** One trial's rows, kept for the life of the trial so a button under the pointer is never swapped mid-click. */
interface TrialRow {
  tr: HTMLTableRowElement;
  index: HTMLTableCellElement;
  state: HTMLTableCellElement;
  params: HTMLTableCellElement[];
  metric: HTMLTableCellElement;
  note: HTMLTableCellElement;
  noteKey: string;
  action: HTMLTableCellElement | null;
  detail: HTMLTableRowElement;
  pre: HTMLPreElement;
}

/**
 * The trials table: index, state, each varying parameter, the metric and a note (why a trial was stopped early;
 * a failed trial's traceback on click), plus a stop button on live trials. Every cell is text. Rows are keyed
 * by trial and updated in place: a live trial's metric changes several times a second, and rebuilding its row
 * would detach the Stop button between a press and its release, and close an open traceback. With `onOpenRun`,
 * a trial's index is a link that opens its run.
 */
export class SweepTrialsTable {
  readonly node = el(document, 'section', 'jp-SpyglassSweep-trials');
  private readonly table = el(document, 'table');
  private readonly head = el(document, 'thead');
  private readonly body = el(document, 'tbody');
  private readonly empty = el(document, 'p', 'jp-SpyglassSweep-empty', m.noTrials);
  private readonly rows = new Map<number, TrialRow>();
  private readonly expanded = new Set<number>();
  private columns = '';

  constructor(
    private readonly onStopTrial: ((index: number) => void) | null,
    private readonly onOpenRun: ((index: number) => void) | null = null,
  ) {
    const heading = el(document, 'h3', 'jp-SpyglassSweep-title', m.trialsTitle);
    this.table.setAttribute('data-spyglass-sweep-table', '');
    this.table.append(this.head, this.body);
    const scroller = el(document, 'div', 'jp-SpyglassSweep-tableScroll');
    scroller.append(this.table);
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
      let row = this.rows.get(trial.index);
      if (!row) {
        row = this.createRow(trial.index, params.length);
        this.rows.set(trial.index, row);
      }
      this.fillRow(row, trial, params, isTrialStoppable(trial, snapshot.sweep.state));
      // Keep rows in trial order (a row appears once a trial is claimed, in any order across agents).
      const before: ChildNode | null = previous ? previous.nextSibling : this.body.firstChild;
      if (before !== row.tr) this.body.insertBefore(row.tr, before);
      if (row.tr.nextSibling !== row.detail) row.tr.after(row.detail);
      previous = row.detail;
    }
    for (const [index, row] of this.rows) {
      if (seen.has(index)) continue;
      row.tr.remove();
      row.detail.remove();
      this.rows.delete(index);
    }
    this.table.setAttribute('data-spyglass-sweep-trials', String(trials.length));
    this.empty.hidden = trials.length > 0;
  }

  private renderHead(params: string[], metric: string): void {
    const tr = el(document, 'tr');
    const names = [m.indexColumn, m.stateColumn, ...params, metric, m.noteColumn];
    if (this.onStopTrial) names.push('');
    tr.append(...names.map((name) => cell('th', name)));
    this.head.replaceChildren(tr);
  }

  private createRow(index: number, paramCount: number): TrialRow {
    const tr = el(document, 'tr');
    tr.setAttribute('data-trial', String(index));
    const state = cell('td', '');
    const params = Array.from({ length: paramCount }, () => cell('td', ''));
    const metric = el(document, 'td', 'jp-SpyglassSweep-metric');
    const note = el(document, 'td', 'jp-SpyglassSweep-note');
    const action = this.onStopTrial ? el(document, 'td') : null;
    const indexCell = cell('td', String(index));
    tr.append(indexCell, state, ...params, metric, note, ...(action ? [action] : []));
    const detail = el(document, 'tr', 'jp-SpyglassSweep-errorRow');
    const td = el(document, 'td');
    td.colSpan = tr.children.length;
    const pre = el(document, 'pre');
    pre.setAttribute('data-spyglass-sweep-error', String(index));
    td.append(pre);
    detail.append(td);
    return { tr, index: indexCell, state, params, metric, note, noteKey: '', action, detail, pre };
  }

  /** Writes only what changed, so an unchanged cell keeps its node (and the pointer's target). */
  private fillRow(row: TrialRow, trial: SweepTrial, params: string[], stoppable: boolean): void {
    setAttr(row.tr, 'data-state', trial.state);
    row.tr.title = trial.run_id ? `run ${trial.run_id}${trial.agent ? ` · agent ${trial.agent}` : ''}` : '';
    this.fillIndex(row.index, trial);
    setText(row.state, trial.state.replace('_', ' '));
    row.state.className = `jp-SpyglassSweep-trialState jp-mod-${trial.state}`;
    for (const [i, p] of params.entries()) setText(row.params[i], formatParam(trial.params[p]));
    setText(row.metric, formatParam(trial.metric));
    const noteKey = JSON.stringify([trial.stopped_reason ?? null, trial.error ?? null]);
    if (noteKey !== row.noteKey) {
      row.noteKey = noteKey;
      this.fillNote(row.note, trial);
      setText(row.pre, trial.error ?? '');
    }
    row.detail.hidden = !(trial.error && this.expanded.has(trial.index));
    if (row.action) this.fillAction(row.action, trial.index, stoppable);
  }

  /** The index as text, or as a link to the trial's run once it has one. */
  private fillIndex(td: HTMLTableCellElement, trial: SweepTrial): void {
    const link = td.querySelector('button');
    if (!this.onOpenRun || !trial.run_id) {
      if (link) td.textContent = String(trial.index);
      return;
    }
    if (link) return;
    const title = m.openRun(trial.index, trial.run_id);
    const b = actionButton('open_run', 'jp-SpyglassSweep-link', String(trial.index), title);
    b.addEventListener('click', () => this.onOpenRun?.(trial.index));
    td.replaceChildren(b);
  }

  private fillAction(td: HTMLTableCellElement, index: number, stoppable: boolean): void {
    const button = td.querySelector('button');
    if (!stoppable) {
      button?.remove();
      return;
    }
    if (button) return;
    const b = actionButton('stop_trial', 'jp-SpyglassSweep-button', m.stopTrial, m.stopTrialTitle(index));
    b.addEventListener('click', () => {
      b.disabled = true;
      this.onStopTrial?.(index);
    });
    td.append(b);
  }

  private fillNote(td: HTMLTableCellElement, trial: SweepTrial): void {
    td.textContent = trial.stopped_reason ?? '';
    td.title = trial.stopped_reason ?? '';
    if (!trial.error) return;
    const label = this.expanded.has(trial.index) ? m.hideError : m.showError;
    const toggle = actionButton('toggle_error', 'jp-SpyglassSweep-link', label, lastLine(trial.error));
    toggle.addEventListener('click', () => this.toggleError(trial.index));
    td.replaceChildren(toggle, el(document, 'span', undefined, ` ${lastLine(trial.error)}`));
  }

  private toggleError(index: number): void {
    if (this.expanded.has(index)) this.expanded.delete(index);
    else this.expanded.add(index);
    const row = this.rows.get(index);
    if (!row) return;
    const open = this.expanded.has(index);
    row.detail.hidden = !open;
    const toggle = row.note.querySelector('[data-action="toggle_error"]');
    if (toggle) toggle.textContent = open ? m.hideError : m.showError;
  }
}

function actionButton(action: string, className: string, text: string, title: string): HTMLButtonElement {
  const b = button(document, text, undefined, className);
  b.setAttribute('data-action', action);
  b.title = title;
  return b;
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node: HTMLElement, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function cell(tag: 'td' | 'th', text: string): HTMLTableCellElement {
  return el(document, tag, undefined, text);
}

/** The last non-empty line of a traceback: the exception and its message. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
