import { messages } from '../messages.js';

export interface ToolbarActions {
  refresh: (() => void) | null;
  fit: () => void;
  zoomIn: () => void;
  zoomOut: () => void;
  exportSvg: () => void;
}

/** The lineage panel's top line: title and counts, then refresh, fit, zoom and export buttons, and a status. */
export class LineageToolbar {
  readonly node = document.createElement('div');
  private readonly counts = document.createElement('span');
  private readonly status = document.createElement('span');
  private readonly refreshButton: HTMLButtonElement | null = null;

  constructor(actions: ToolbarActions) {
    this.node.className = 'jp-SpyglassLineage-toolbar';
    this.node.setAttribute('role', 'toolbar');
    const title = document.createElement('span');
    title.className = 'jp-SpyglassLineage-heading';
    title.textContent = messages.lineageTitle;
    this.counts.className = 'jp-SpyglassLineage-counts';
    this.status.className = 'jp-SpyglassLineage-status';
    this.status.setAttribute('aria-live', 'polite');
    const spacer = document.createElement('span');
    spacer.className = 'jp-SpyglassLineage-spacer';
    this.node.append(title, this.counts, spacer, this.status);
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
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'jp-SpyglassLineage-button';
    b.textContent = text;
    b.title = label;
    b.setAttribute('aria-label', label);
    b.setAttribute('data-action', label);
    b.addEventListener('click', onClick);
    this.node.append(b);
    return b;
  }
}
