import { Widget } from '@lumino/widgets';
import { button, el } from './dom.js';
import { describeError } from './errors.js';
import { ColumnView } from './playground/ColumnView.js';
import type { MarkdownToHtml } from './playground/output-view.js';
import { PlaygroundState } from './playground/playground-state.js';
import {
  type ProviderInfo,
  parseModels,
  parseProviders,
  parseRunAnswer,
  parseSaveAnswer,
  type SaveAnswer,
} from './playground/playground-types.js';

/** Where the panel sends its requests: the server's /playground endpoints (a fake in tests). */
export interface PlaygroundSource {
  providers(): Promise<unknown>;
  models(provider: string): Promise<unknown>;
  run(body: object): Promise<unknown>;
  save(body: object): Promise<unknown>;
}

export interface PlaygroundPanelOptions {
  source: PlaygroundSource;
  /** The project runs are traced into and saves go to. */
  project: string;
  /** Markdown to HTML (the panel sanitises it); without it outputs show as text only. */
  markdown?: MarkdownToHtml;
}

/**
 * The playground: one prompt (system and user message with `{{variable}}` slots) run against several models side
 * by side, each column with its output, tokens, latency and cost. The server makes the requests (keys stay there)
 * and traces each as a call in the project; "Save" stores the prompt as a versioned artifact and the runs made
 * with it as dataset rows (docs/playground.md).
 */
export class PlaygroundPanel extends Widget {
  readonly state = new PlaygroundState();
  private readonly source: PlaygroundSource;
  private readonly markdown: MarkdownToHtml | null;
  private readonly columnViews: ColumnView[] = [];
  private providers: ProviderInfo[] = [];
  private readonly columnsBox: HTMLElement;
  private readonly variablesBox: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly status: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly markdownToggle: HTMLInputElement;

  constructor(options: PlaygroundPanelOptions) {
    super();
    this.addClass('jp-SpyglassPlayground');
    this.node.setAttribute('data-spyglass-playground', options.project);
    this.title.label = `Playground: ${options.project}`;
    this.source = options.source;
    this.markdown = options.markdown ?? null;
    const doc = this.node.ownerDocument;
    const toolbar = el(doc, 'div', 'jp-SpyglassPlayground-toolbar');
    this.runButton = button(doc, 'Run', () => void this.run(), 'jp-SpyglassPlayground-run');
    this.saveButton = button(
      doc,
      'Save prompt and runs',
      () => void this.save(),
      'jp-SpyglassPlayground-save',
    );
    const name = this.textField(doc, 'prompt name', this.state.name, (v) => {
      this.state.name = v.trim() || 'prompt';
    });
    const dataset = this.textField(doc, 'dataset name', '', (v) => {
      this.state.dataset = v;
    });
    dataset.placeholder = '<prompt name>-runs';
    const toggle = el(doc, 'label', 'jp-SpyglassPlayground-toggle');
    this.markdownToggle = el(doc, 'input');
    this.markdownToggle.type = 'checkbox';
    this.markdownToggle.setAttribute('aria-label', 'markdown');
    this.markdownToggle.disabled = this.markdown === null;
    this.markdownToggle.addEventListener('change', () => {
      for (const view of this.columnViews) void view.setMarkdown(this.markdownToggle.checked);
    });
    toggle.append(this.markdownToggle, doc.createTextNode(' markdown'));
    this.status = el(doc, 'span', 'jp-SpyglassPlayground-status');
    this.status.setAttribute('data-spyglass-playground-status', '');
    toolbar.append(this.runButton, name, dataset, this.saveButton, toggle, this.status);
    this.notice = el(doc, 'p', 'jp-SpyglassPlayground-notice');
    this.notice.hidden = true;
    const prompt = el(doc, 'div', 'jp-SpyglassPlayground-prompt');
    prompt.append(
      this.messageField(doc, 'system', 'System message (optional)', (v) => {
        this.state.system = v;
      }),
      this.messageField(doc, 'user', 'User message; {{name}} marks a variable', (v) => {
        this.state.user = v;
      }),
    );
    this.variablesBox = el(doc, 'div', 'jp-SpyglassPlayground-variables');
    this.columnsBox = el(doc, 'div', 'jp-SpyglassPlayground-columns');
    const add = button(doc, '+ Add model', () => this.addColumn(), 'jp-SpyglassPlayground-add');
    this.node.append(toolbar, this.notice, prompt, this.variablesBox, this.columnsBox, add);
  }

  /** Reads the provider table, then opens with one column on the first provider the server can use. */
  async load(): Promise<void> {
    try {
      this.providers = parseProviders(await this.source.providers());
    } catch (error) {
      this.setNotice(`Cannot read the providers: ${describeError(error)}`);
      return;
    }
    for (const view of this.columnViews) view.setProviders(this.providers);
    if (this.columnViews.length === 0) this.addColumn();
  }

  /** Adds a column (default: the first provider that is set up, else the first); resolves once its models are listed. */
  addColumn(provider?: string, model = ''): Promise<void> {
    const name = provider ?? (this.providers.find((p) => p.ready) ?? this.providers[0])?.name ?? 'custom';
    const spec = this.state.addColumn(name, model);
    const view = new ColumnView(this.node.ownerDocument, spec, this.providers, this.markdown, {
      providerChanged: (v) => void this.listModels(v),
      remove: (v) => this.removeColumn(v),
    });
    this.columnViews.push(view);
    this.columnsBox.append(view.node);
    void view.setMarkdown(this.markdownToggle.checked);
    return this.listModels(view);
  }

  /** Runs the prompt on every column at once; resolves when every column shows its answer or error. */
  async run(): Promise<void> {
    const problem = this.state.problem();
    if (problem) return this.setNotice(problem);
    this.setNotice(null);
    const views = [...this.columnViews];
    const variables = this.state.variableValues();
    for (const view of views) view.running();
    this.busy(true, `running ${views.length} model${views.length === 1 ? '' : 's'}…`);
    try {
      const results = parseRunAnswer(await this.source.run(this.state.runRequest()), views.length);
      for (const [index, result] of results.entries()) views[index].show(result);
      this.state.receive(results, variables);
      const failed = results.filter((r) => r.error).length;
      this.busy(false, `${this.state.runs.length} run(s) to save${failed ? `; ${failed} failed` : ''}`);
    } catch (error) {
      for (const view of views) view.show({ provider: '', model: '', parameters: {}, output: '' });
      this.busy(false, '');
      this.setNotice(`The run failed: ${describeError(error)}`);
    }
  }

  /** Saves the prompt (a new version when it changed) and the runs made with it; resolves with the answer. */
  async save(): Promise<SaveAnswer | null> {
    if (this.state.user.trim() === '') {
      this.setNotice('Write the user message before saving the prompt.');
      return null;
    }
    this.setNotice(null);
    this.busy(true, 'saving…');
    try {
      const saved = parseSaveAnswer(await this.source.save(this.state.saveRequest()));
      const rows = saved.dataset ? ` and ${saved.rows} run(s) as ${saved.dataset}` : ' (no runs to save yet)';
      this.busy(false, `Saved ${saved.prompt}${rows}`);
      this.node.dataset.savedPrompt = saved.prompt;
      this.node.dataset.savedDataset = saved.dataset ?? '';
      return saved;
    } catch (error) {
      this.busy(false, '');
      this.setNotice(`Cannot save: ${describeError(error)}`);
      return null;
    }
  }

  private removeColumn(view: ColumnView): void {
    this.state.removeColumn(view.spec.id);
    this.columnViews.splice(this.columnViews.indexOf(view), 1);
    view.node.remove();
  }

  private async listModels(view: ColumnView): Promise<void> {
    const provider = view.spec.provider;
    const info = this.providers.find((p) => p.name === provider);
    if (!info?.ready) return view.setModels([]);
    try {
      const models = parseModels(await this.source.models(provider));
      if (view.spec.provider !== provider) return;
      view.setModels(models);
      view.setHint(models.length ? null : `${provider} lists no models: type the model's name`);
    } catch (error) {
      if (view.spec.provider === provider) view.setHint(`No model list: ${describeError(error)}`);
    }
  }

  private showVariables(): void {
    const names = this.state.variables();
    const shown = [...this.variablesBox.querySelectorAll('input')].map((i) => i.getAttribute('aria-label'));
    if (JSON.stringify(shown) === JSON.stringify(names)) return;
    const doc = this.node.ownerDocument;
    this.variablesBox.replaceChildren(
      ...names.map((variable) => {
        const label = el(doc, 'label', 'jp-SpyglassPlayground-variable', `{{${variable}}} `);
        label.append(
          this.textField(doc, variable, this.state.values[variable] ?? '', (v) => {
            this.state.values[variable] = v;
          }),
        );
        return label;
      }),
    );
  }

  private messageField(
    doc: Document,
    role: string,
    placeholder: string,
    set: (v: string) => void,
  ): HTMLElement {
    const area = el(doc, 'textarea', 'jp-SpyglassPlayground-message');
    area.setAttribute('aria-label', `${role} message`);
    area.placeholder = placeholder;
    area.rows = role === 'system' ? 2 : 4;
    area.addEventListener('input', () => {
      set(area.value);
      this.showVariables();
    });
    return area;
  }

  private textField(doc: Document, label: string, value: string, set: (v: string) => void): HTMLInputElement {
    const input = el(doc, 'input', 'jp-SpyglassPlayground-field');
    input.setAttribute('aria-label', label);
    input.placeholder = label;
    input.value = value;
    input.addEventListener('input', () => set(input.value));
    return input;
  }

  private busy(on: boolean, text: string): void {
    this.runButton.disabled = on;
    this.saveButton.disabled = on;
    this.status.textContent = text;
    this.node.dataset.busy = String(on);
  }

  private setNotice(text: string | null): void {
    this.notice.hidden = text === null;
    this.notice.textContent = text ?? '';
  }
}
