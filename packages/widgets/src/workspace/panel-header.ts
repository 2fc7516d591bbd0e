import { workspaceMessages as text } from './workspace-messages.js';

/**
 * A header button: its label, its `data-action` (tests and styles find it by that), what a click does and, for a
 * symbol label, what it does in words (tooltip and accessible name).
 */
export type PanelAction = [label: string, action: string, run: () => void, description?: string];

/** The remove-panel button of a workspace panel. */
export function removeAction(remove: () => void): PanelAction {
  return ['×', 'remove', remove, text.removePanel];
}

/** A workspace panel's caption: its title (full text on hover) followed by its action buttons. */
export function panelHeader(title: string, actions: PanelAction[]): HTMLElement {
  const header = document.createElement('figcaption');
  header.className = 'jp-SpyglassWorkspaceChart-header';
  const titleNode = document.createElement('span');
  titleNode.className = 'jp-SpyglassWorkspaceChart-title';
  titleNode.textContent = title;
  titleNode.title = title;
  header.append(titleNode);
  for (const [label, action, run, description] of actions) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'jp-SpyglassWorkspaceChart-action';
    b.dataset.action = action;
    b.textContent = label;
    if (description) {
      b.title = description;
      b.setAttribute('aria-label', description);
    }
    b.addEventListener('click', run);
    header.append(b);
  }
  return header;
}
