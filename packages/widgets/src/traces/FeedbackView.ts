import { button, el } from '../dom.js';
import { describeError } from '../errors.js';
import { type FeedbackEntry, type FeedbackKind, feedbackOf } from './call-feedback.js';

/** Where feedback is read and stored: GET/POST /calls/feedback (the labextension's TracesClient). */
export interface FeedbackSource {
  feedback(callId: string): Promise<unknown>;
  addFeedback(callId: string, kind: FeedbackKind, value: string): Promise<unknown>;
}

const ICONS: Record<string, string> = { up: '👍', down: '👎' };

/**
 * The selected call's feedback: thumbs up/down, a note, a label, and the entries stored so far (each as text).
 * Adding stores at once on the server and reads the call's feedback back; `onChange` lets the list update.
 */
export class FeedbackView {
  readonly node: HTMLElement;
  private readonly entries: HTMLUListElement;
  private readonly message: HTMLElement;
  private readonly note: HTMLTextAreaElement;
  private readonly label: HTMLInputElement;
  private callId: string | null = null;
  private shown = '';

  constructor(
    doc: Document,
    private readonly source: FeedbackSource,
    private readonly onChange: (callId: string) => void = () => {},
  ) {
    this.node = el(doc, 'section', 'jp-SpyglassTraces-feedback');
    this.node.setAttribute('data-spyglass-feedback', '');
    this.node.hidden = true;
    const thumbs = el(doc, 'div', 'jp-SpyglassTraces-feedbackRow');
    const up = button(doc, '👍', () => this.add('thumbs', 'up'), 'jp-SpyglassTraces-thumb');
    up.setAttribute('aria-label', 'thumbs up');
    const down = button(doc, '👎', () => this.add('thumbs', 'down'), 'jp-SpyglassTraces-thumb');
    down.setAttribute('aria-label', 'thumbs down');
    thumbs.append(el(doc, 'h4', undefined, 'Feedback'), up, down);
    this.note = el(doc, 'textarea', 'jp-SpyglassTraces-note');
    this.note.placeholder = 'a note on this call';
    this.note.setAttribute('aria-label', 'note');
    this.note.rows = 2;
    const addNote = button(doc, 'Add note', () => this.addText('note', this.note), 'jp-SpyglassTraces-pager');
    this.label = el(doc, 'input', 'jp-SpyglassTraces-label');
    this.label.placeholder = 'label';
    this.label.setAttribute('aria-label', 'label');
    this.label.maxLength = 64;
    this.label.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') void this.addText('label', this.label);
    });
    const addLabel = button(
      doc,
      'Add label',
      () => this.addText('label', this.label),
      'jp-SpyglassTraces-pager',
    );
    const texts = el(doc, 'div', 'jp-SpyglassTraces-feedbackRow');
    texts.append(this.note, addNote, this.label, addLabel);
    this.message = el(doc, 'p', 'jp-SpyglassTraces-notice');
    this.message.hidden = true;
    this.entries = el(doc, 'ul', 'jp-SpyglassTraces-feedbackList');
    this.node.append(thumbs, texts, this.message, this.entries);
  }

  /** Shows a call's feedback (read from the server); null hides the view. */
  async show(callId: string | null): Promise<void> {
    if (callId !== this.callId) this.shown = '';
    this.callId = callId;
    this.node.hidden = callId === null;
    if (callId === null) return;
    this.node.dataset.callId = callId;
    try {
      const entries = feedbackOf(await this.source.feedback(callId), callId);
      if (callId === this.callId) this.draw(entries);
    } catch (error) {
      this.say(`Cannot read the feedback: ${describeError(error)}`);
    }
  }

  private async addText(kind: FeedbackKind, input: HTMLTextAreaElement | HTMLInputElement): Promise<void> {
    const value = input.value;
    if (value.trim() === '') return this.say(`Write the ${kind} first.`);
    if (await this.add(kind, value)) input.value = '';
  }

  private async add(kind: FeedbackKind, value: string): Promise<boolean> {
    const callId = this.callId;
    if (callId === null) return false;
    try {
      await this.source.addFeedback(callId, kind, value);
    } catch (error) {
      this.say(`Cannot store the feedback: ${describeError(error)}`);
      return false;
    }
    this.say(null);
    await this.show(callId);
    this.onChange(callId);
    return true;
  }

  private draw(entries: FeedbackEntry[]): void {
    const text = JSON.stringify(entries);
    if (text === this.shown) return;
    this.shown = text;
    const doc = this.node.ownerDocument;
    this.node.dataset.count = String(entries.length);
    this.entries.replaceChildren(
      ...entries.map((entry) => {
        const item = el(doc, 'li', `jp-SpyglassTraces-feedback-${entry.kind}`);
        item.dataset.kind = entry.kind;
        const shown = entry.kind === 'thumbs' ? (ICONS[entry.value] ?? entry.value) : entry.value;
        const who = [entry.creator ?? entry.source, entry.created_at.slice(0, 19).replace('T', ' ')];
        item.append(
          el(doc, 'span', 'jp-SpyglassTraces-feedbackKind', `${entry.kind}: `),
          el(doc, 'span', 'jp-SpyglassTraces-feedbackValue', shown),
          el(doc, 'span', 'jp-SpyglassTraces-feedbackWho', ` (${who.filter(Boolean).join(', ')})`),
        );
        return item;
      }),
    );
  }

  private say(text: string | null): void {
    this.message.hidden = text === null;
    this.message.textContent = text ?? '';
  }
}
