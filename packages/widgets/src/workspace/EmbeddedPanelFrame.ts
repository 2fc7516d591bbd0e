import type { PlannedEmbed } from '@spyglass/charts';
import type { WorkspaceRun } from '@spyglass/protocol';
import { describeError } from '../errors.js';
import type { EmbeddedPanelHost, EmbeddedView } from './embedded-panels.js';
import { panelHeader, removeAction } from './panel-header.js';
import { workspaceMessages as text } from './workspace-messages.js';

/** What a frame needs from the workspace: the page's host (null outside JupyterLab) and the listing's runs. */
export interface EmbeddingContext {
  host: EmbeddedPanelHost | null;
  run(runId: string): WorkspaceRun | null;
  remove(panelId: string): void;
}

function titleOf(panel: PlannedEmbed): string {
  if (panel.kind === 'table') return text.embeddedTitle.table(panel.key, panel.step, panel.runId);
  if (panel.kind === 'sweep') return text.embeddedTitle.sweep(panel.sweepId);
  return text.embeddedTitle.lineage(panel.focus);
}

/**
 * A grid cell holding an embedded panel (table explorer, sweep panel, lineage graph): a header like the charts'
 * and the host's view, created the first time the cell is seen (so a closed section polls nothing) and disposed
 * with the cell. data-state says loading / ready / unavailable for tests.
 */
export class EmbeddedPanelFrame {
  readonly node: HTMLElement;
  private readonly body = document.createElement('div');
  private view: EmbeddedView | null = null;
  private disposed = false;

  constructor(
    readonly panel: PlannedEmbed,
    private readonly context: EmbeddingContext,
  ) {
    this.node = document.createElement('figure');
    this.node.className = 'jp-SpyglassWorkspaceChart jp-SpyglassWorkspaceEmbed';
    this.node.dataset.panelId = panel.id;
    this.node.dataset.kind = panel.kind;
    this.node.dataset.state = 'loading';
    this.body.className = 'jp-SpyglassWorkspaceEmbed-body';
    this.node.append(this.header(), this.body);
  }

  /** Creates the view if it is not there yet (the run of a table panel may only now be listed). */
  ensure(): void {
    if (this.view || this.disposed) return;
    const host = this.context.host;
    if (!host) {
      this.say(text.embeddedUnavailable, 'unavailable');
      return;
    }
    const run = this.panel.kind === 'table' ? this.context.run(this.panel.runId) : null;
    if (this.panel.kind === 'table' && !run) {
      this.say(text.embeddedRunMissing(this.panel.runId), 'missing');
      return;
    }
    try {
      this.view = host.create(this.panel, run);
    } catch (error) {
      this.say(describeError(error), 'failed');
      return;
    }
    this.body.replaceChildren(this.view.node);
    this.view.attached?.();
    this.node.dataset.state = 'ready';
  }

  dispose(): void {
    this.disposed = true;
    this.view?.dispose();
    this.view = null;
    this.node.remove();
  }

  private say(message: string, state: string): void {
    const p = document.createElement('p');
    p.className = 'jp-SpyglassWorkspaceChart-message';
    p.textContent = message;
    this.body.replaceChildren(p);
    this.node.dataset.state = state;
  }

  private header(): HTMLElement {
    return panelHeader(titleOf(this.panel), [removeAction(() => this.context.remove(this.panel.id))]);
  }
}
