import { el, select } from '../dom.js';
import { FEEDBACK_FILTERS } from './call-feedback.js';
import type { CallFilters } from './call-list-state.js';

type ExtraFilter = 'since' | 'until' | 'attribute' | 'label' | 'feedback';

/** The list's second row of filters: start time range, an attribute, a label and feedback. */
export class TraceFilterBar {
  readonly node: HTMLElement;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    doc: Document,
    private readonly onChange: (name: keyof CallFilters, value: string) => void,
  ) {
    this.node = el(doc, 'div', 'jp-SpyglassTraces-toolbar');
    this.node.setAttribute('data-spyglass-trace-filters', '');
    const feedback = select(doc, FEEDBACK_FILTERS, 'jp-SpyglassTraces-filter');
    feedback.setAttribute('aria-label', 'feedback');
    feedback.addEventListener('change', () => this.onChange('feedback', feedback.value));
    this.node.append(
      feedback,
      this.text(doc, 'label', 'label', 'label'),
      this.text(doc, 'attribute', 'attribute key=value', 'attribute'),
      el(doc, 'span', 'jp-SpyglassTraces-range', 'started'),
      this.time(doc, 'since', 'started after'),
      el(doc, 'span', 'jp-SpyglassTraces-range', 'to'),
      this.time(doc, 'until', 'started before'),
    );
  }

  private text(doc: Document, name: ExtraFilter, placeholder: string, label: string): HTMLInputElement {
    const input = el(doc, 'input', 'jp-SpyglassTraces-filter');
    input.placeholder = placeholder;
    input.setAttribute('aria-label', label);
    input.addEventListener('input', () => this.later(name, () => input.value));
    return input;
  }

  private time(doc: Document, name: ExtraFilter, label: string): HTMLInputElement {
    const input = el(doc, 'input', 'jp-SpyglassTraces-filter');
    input.type = 'datetime-local';
    input.step = '1';
    input.setAttribute('aria-label', label);
    input.addEventListener('change', () => this.onChange(name, input.value));
    return input;
  }

  /** Typing asks once it pauses (as the search box does). */
  private later(name: ExtraFilter, value: () => string): void {
    const pending = this.timers.get(name);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(
      name,
      setTimeout(() => this.onChange(name, value()), 300),
    );
  }
}
