import { el } from './dom.js';

/** The parts of a run panel section a caller fills: the chart grid and the count beside the name. */
export interface SectionFrame {
  node: HTMLDetailsElement;
  count: HTMLElement;
  grid: HTMLElement;
}

/**
 * A collapsible run panel section, like a wandb panel section: a `<details>` whose summary names the section and
 * counts its charts, over a grid of charts. Shared by the metric and the histogram sections, so they look alike.
 */
export function sectionFrame(name: string, className = 'jp-SpyglassSection'): SectionFrame {
  const node = el(document, 'details', className);
  const count = el(document, 'span', 'jp-SpyglassCount');
  const label = el(document, 'summary', 'jp-SpyglassSection-label');
  label.append(el(document, 'span', 'jp-SpyglassSection-name', name), count);
  const grid = el(document, 'div', 'jp-SpyglassRunPanel-grid');
  node.append(label, grid);
  return { node, count, grid };
}
