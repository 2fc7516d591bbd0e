import { el } from '../dom.js';
import { messages } from '../messages.js';
import { lineageButton } from './lineage-button.js';

export interface ToolbarActions {
  refresh: (() => void) | null;
  fit: () => void;
  zoomIn: () => void;
  zoomOut: () => void;
  exportSvg: () => void;
}

/** The lineage panel's top line: title and counts, then refresh, fit, zoom and export buttons, and a status. */
export class LineageToolbar {
  readonly node = el(document, 'div', 'jp-SpyglassLineage-toolbar');
  private readonly counts = el(document, 'span', 'jp-SpyglassLineage-counts');
  private readonly status = el(document, 'span', 'jp-SpyglassLineage-status');
  private readonly refreshButton: HTMLButtonElement | null = null;

  constructor(actions: ToolbarActions) {
    this.node.setAttribute('role', 'toolbar');
    this.status.setAttribute('aria-live', 'polite');
    this.node.append(
      el(document, 'span', 'jp-SpyglassLineage-heading', messages.lineageTitle),
      this.counts,
      el(document, 'span', 'jp-SpyglassLineage-spacer'),
      this.status,
    );
    if (actions.refresh) {
      this.refreshButton = this.button(messages.lineageRefresh, messages.lineageRefresh, actions.refresh);
    }
    this.button(messages.lineageFit, messages.lineageFit, actions.fit);
    this.button(messages.lineageZoomOut, '−', actions.zoomOut);
    this.button(messages.lineageZoomIn, '+', actions.zoomIn);
    this.button(messages.lineageExportSvg, messages.lineageExportSvg, actions.exportSvg);
  }

  setCounts(text: string): void {
    this.counts.textContent = text;
  }

  /** Shows a status while a request is on its way (and disables refresh); null when done. */
  setBusy(text: string | null): void {
    this.status.textContent = text ?? '';
    this.node.toggleAttribute('data-busy', text !== null);
    if (this.refreshButton) this.refreshButton.disabled = text !== null;
  }

  private button(label: string, text: string, onClick: () => void): HTMLButtonElement {
    const b = lineageButton(label, onClick, { text });
    this.node.append(b);
    return b;
  }
}
