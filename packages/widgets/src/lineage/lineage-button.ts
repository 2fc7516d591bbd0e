import { button } from '../dom.js';

/**
 * A lineage panel button named `label` (its text too, unless `text` is given); data-action carries the label for
 * tests.
 */
export function lineageButton(
  label: string,
  onClick: () => void,
  options: { text?: string; title?: string } = {},
): HTMLButtonElement {
  const b = button(document, options.text ?? label, onClick, 'jp-SpyglassLineage-button');
  b.title = options.title ?? label;
  b.setAttribute('aria-label', label);
  b.setAttribute('data-action', label);
  return b;
}
