import { button, el, option, setOptions } from '../dom.js';
import { type MarkdownToHtml, OutputView } from './output-view.js';
import {
  type ColumnSpec,
  PARAMETER_NAMES,
  type ParameterName,
  parseParameter,
  resultFigures,
} from './playground-state.js';
import type { ProviderInfo, RunResult } from './playground-types.js';

export interface ColumnCallbacks {
  /** The provider changed: the panel fetches its models for the model field's suggestions. */
  providerChanged(column: ColumnView): void;
  remove(column: ColumnView): void;
}

/**
 * One model of the playground: provider, model name and parameters above, its last output and figures (tokens,
 * latency, cost) or error below. Edits go straight into the column's spec; a parameter out of range is flagged on
 * its field and left unset.
 */
export class ColumnView {
  readonly node: HTMLElement;
  private readonly provider: HTMLSelectElement;
  private readonly model: HTMLInputElement;
  private readonly models: HTMLDataListElement;
  private readonly output: OutputView;
  private readonly figures: HTMLElement;
  private readonly error: HTMLElement;
  private readonly hint: HTMLElement;

  constructor(
    doc: Document,
    readonly spec: ColumnSpec,
    providers: ProviderInfo[],
    markdown: MarkdownToHtml | null,
    callbacks: ColumnCallbacks,
  ) {
    this.node = el(doc, 'section', 'jp-SpyglassPlayground-column');
    this.node.setAttribute('data-spyglass-playground-column', String(spec.id));
    const head = el(doc, 'div', 'jp-SpyglassPlayground-columnHead');
    this.provider = el(doc, 'select', 'jp-SpyglassPlayground-provider');
    this.provider.setAttribute('aria-label', 'provider');
    this.setProviders(providers);
    this.models = el(doc, 'datalist');
    this.models.id = `jp-SpyglassPlayground-models-${spec.id}-${Math.random().toString(36).slice(2)}`;
    this.model = el(doc, 'input', 'jp-SpyglassPlayground-model');
    this.model.setAttribute('aria-label', 'model');
    this.model.placeholder = 'model';
    this.model.value = spec.model;
    this.model.setAttribute('list', this.models.id);
    const remove = button(doc, '×', () => callbacks.remove(this), 'jp-SpyglassPlayground-remove');
    remove.title = 'Remove this model';
    head.append(this.provider, this.model, this.models, remove);
    this.hint = el(doc, 'p', 'jp-SpyglassPlayground-hint');
    this.hint.hidden = true;
    const parameters = el(doc, 'div', 'jp-SpyglassPlayground-parameters');
    for (const name of PARAMETER_NAMES) parameters.append(this.parameterField(doc, name));
    this.output = new OutputView(doc, markdown);
    this.figures = el(doc, 'div', 'jp-SpyglassPlayground-figures');
    this.error = el(doc, 'p', 'jp-SpyglassPlayground-error');
    this.error.setAttribute('data-spyglass-error', '');
    this.error.hidden = true;
    this.node.append(head, this.hint, parameters, this.output.node, this.figures, this.error);
    this.provider.addEventListener('change', () => {
      spec.provider = this.provider.value;
      this.showProviderState(providers);
      callbacks.providerChanged(this);
    });
    this.model.addEventListener('input', () => {
      spec.model = this.model.value;
    });
    this.showProviderState(providers);
  }

  setProviders(providers: ProviderInfo[]): void {
    const options = providers.map((p): [string, string] => [
      p.name,
      p.ready ? p.name : `${p.name} (not set up)`,
    ]);
    if (!providers.some((p) => p.name === this.spec.provider))
      options.push([this.spec.provider, this.spec.provider]);
    setOptions(this.provider, options);
    this.provider.value = this.spec.provider;
  }

  /** The model names the provider lists, as suggestions; the field stays free text. */
  setModels(names: string[]): void {
    this.models.replaceChildren(...names.map((n) => option(this.node.ownerDocument, n, n)));
  }

  /** A note under the header (e.g. why the model list is empty); null clears it. */
  setHint(text: string | null): void {
    this.hint.hidden = text === null;
    this.hint.textContent = text ?? '';
  }

  setMarkdown(on: boolean): Promise<void> {
    return this.output.setMarkdown(on);
  }

  running(): void {
    this.node.dataset.state = 'running';
    this.error.hidden = true;
    this.figures.textContent = 'running…';
    this.output.clear();
  }

  show(result: RunResult): void {
    this.node.dataset.state = result.error ? 'error' : 'done';
    this.error.hidden = !result.error;
    this.error.textContent = result.error ?? '';
    this.output.show(result.output ?? '');
    this.figures.replaceChildren();
    if (result.error) return;
    const figures = resultFigures(result);
    const doc = this.node.ownerDocument;
    for (const [name, text] of Object.entries(figures)) {
      const item = el(doc, 'span', `jp-SpyglassPlayground-figure`, text);
      item.setAttribute(`data-spyglass-${name}`, '');
      this.figures.append(item);
    }
  }

  private parameterField(doc: Document, name: ParameterName): HTMLElement {
    const label = el(doc, 'label', 'jp-SpyglassPlayground-parameter');
    label.append(el(doc, 'span', undefined, name));
    const input = el(doc, 'input');
    input.setAttribute('aria-label', name);
    input.inputMode = 'decimal';
    input.placeholder = 'default';
    const value = this.spec.parameters[name];
    if (value !== undefined) input.value = String(value);
    input.addEventListener('input', () => {
      try {
        const parsed = parseParameter(name, input.value);
        if (parsed === undefined) delete this.spec.parameters[name];
        else this.spec.parameters[name] = parsed;
        input.removeAttribute('aria-invalid');
        input.title = '';
      } catch (error) {
        delete this.spec.parameters[name];
        input.setAttribute('aria-invalid', 'true');
        input.title = error instanceof Error ? error.message : String(error);
      }
    });
    label.append(input);
    return label;
  }

  private showProviderState(providers: ProviderInfo[]): void {
    const info = providers.find((p) => p.name === this.spec.provider);
    this.setHint(info && !info.ready ? info.problem : null);
  }
}
