import { formatParam } from '@spyglass/charts';
import type { SweepSnapshot } from '@spyglass/protocol';
import { el, button as plainButton } from '../dom.js';
import { sweepMessages as m } from './sweep-messages.js';
import { availableControls, bestTrial, progressText, sweepProgress } from './sweep-progress.js';

export type SweepAction = 'pause' | 'resume' | 'stop';

/**
 * The sweep panel's header: name, state badge, method and goal, the best trial, a progress bar with done /
 * running / left counts, and the pause / resume / stop buttons. Text only via textContent; counts are also data
 * attributes for tests.
 */
export class SweepHeader {
  readonly node = el(document, 'header', 'jp-SpyglassSweep-header');
  private readonly name = el(document, 'span', 'jp-SpyglassSweep-name');
  private readonly state = el(document, 'span', 'jp-SpyglassSweep-state');
  private readonly facts = el(document, 'span', 'jp-SpyglassSweep-facts');
  private readonly controls = el(document, 'span', 'jp-SpyglassSweep-controls');
  private readonly bar = el(document, 'div', 'jp-SpyglassSweep-progress');
  private readonly counts = el(document, 'div', 'jp-SpyglassSweep-counts');
  private readonly buttons: Record<SweepAction, HTMLButtonElement>;
  private pending: SweepAction | null = null;

  constructor(onAction: ((action: SweepAction) => void) | null) {
    const line = el(document, 'div', 'jp-SpyglassSweep-headline');
    this.buttons = {
      pause: button('pause', m.pause),
      resume: button('resume', m.resume),
      stop: button('stop', m.stop),
    };
    for (const [action, b] of Object.entries(this.buttons) as [SweepAction, HTMLButtonElement][]) {
      b.addEventListener('click', () => onAction?.(action));
      this.controls.append(b);
    }
    this.controls.hidden = onAction === null;
    line.append(this.name, this.state, this.facts, this.controls);
    this.bar.setAttribute('role', 'progressbar');
    this.node.append(line, this.bar, this.counts);
  }

  update(snapshot: SweepSnapshot): void {
    const { sweep } = snapshot;
    this.name.textContent = m.title(sweep.name, sweep.id);
    this.name.title = `${sweep.project} / ${sweep.id}`;
    this.state.textContent = sweep.state;
    const facts = [
      m.method(sweep.method),
      sweep.metric ? m.goal(sweep.metric.name, sweep.metric.goal) : m.noMetric,
    ];
    const best = bestTrial(snapshot);
    if (best && sweep.metric) facts.push(m.best(sweep.metric.name, formatParam(best.metric), best.index));
    setText(this.facts, facts.join(' · '));
    this.renderProgress(snapshot);
    const allowed = availableControls(sweep.state);
    for (const [action, b] of Object.entries(this.buttons) as [SweepAction, HTMLButtonElement][]) {
      b.hidden = !allowed[action];
      b.disabled = this.pending !== null;
    }
  }

  /** Disables the buttons while a control request is on its way; `null` re-enables them. */
  setPending(action: SweepAction | null): void {
    this.pending = action;
    for (const [name, b] of Object.entries(this.buttons) as [SweepAction, HTMLButtonElement][]) {
      b.disabled = action !== null;
      if (name === action) b.setAttribute('data-pending', '');
      else b.removeAttribute('data-pending');
    }
  }

  private renderProgress(snapshot: SweepSnapshot): void {
    const p = sweepProgress(snapshot);
    const segments = p.segments.map(({ kind, fraction }) => {
      const s = el(document, 'span', `jp-SpyglassSweep-segment jp-mod-${kind}`);
      s.style.width = `${(fraction * 100).toFixed(2)}%`;
      return s;
    });
    this.bar.replaceChildren(...segments);
    const used = p.done + p.failed + p.stoppedEarly;
    this.bar.setAttribute('aria-valuenow', String(used));
    if (p.total !== null) this.bar.setAttribute('aria-valuemax', String(p.total));
    this.bar.hidden = p.total === null && used + p.running === 0;
    this.bar.classList.toggle('jp-mod-complete', p.complete);
    this.bar.setAttribute('data-complete', String(p.complete));
    setText(this.counts, progressText(snapshot));
    this.counts.setAttribute('data-done', String(p.done));
    this.counts.setAttribute('data-running', String(p.running));
    this.counts.setAttribute('data-left', p.left === null ? '' : String(p.left));
  }
}

function button(action: SweepAction, label: string): HTMLButtonElement {
  const b = plainButton(document, label, undefined, 'jp-SpyglassSweep-button');
  b.setAttribute('data-action', action);
  return b;
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
