import { chartLegend, moreLabel } from '@spyglass/charts';

/**
 * A workspace chart's legend: one swatch and full name per series (runs, or groups when grouped), wrapping into
 * rows that scroll past a few lines, and "+N more" past the listed maximum. Hovering an entry hovers its run.
 */
export class ChartLegend {
  readonly node = document.createElement('ul');
  private key = '';

  constructor(private readonly hover: (key: string | null) => void) {
    this.node.className = 'jp-SpyglassChartLegend';
    this.node.hidden = true;
    this.node.addEventListener('pointerleave', () => this.hover(null));
  }

  /** Lists `keys` (legend order) named by `label` and coloured by `color`; a single series needs no legend. */
  show(keys: readonly string[], label: (key: string) => string, color: (key: string) => string): void {
    const legend = chartLegend(keys, label, color);
    const key = JSON.stringify(legend);
    if (key === this.key) return;
    this.key = key;
    const items = legend.entries.map((entry) => {
      const item = document.createElement('li');
      item.className = 'jp-SpyglassChartLegend-entry';
      item.dataset.key = entry.key;
      item.title = entry.label;
      const swatch = document.createElement('i');
      swatch.className = 'jp-SpyglassChartLegend-swatch';
      swatch.style.background = entry.color;
      const name = document.createElement('span');
      name.className = 'jp-SpyglassChartLegend-label';
      name.textContent = entry.label;
      item.append(swatch, name);
      item.addEventListener('pointerenter', () => this.hover(entry.key));
      return item;
    });
    if (legend.more > 0) {
      const more = document.createElement('li');
      more.className = 'jp-SpyglassChartLegend-more';
      more.textContent = moreLabel(legend.more);
      items.push(more);
    }
    this.node.replaceChildren(...items);
    this.node.dataset.entries = String(legend.entries.length);
    this.node.dataset.more = String(legend.more);
    this.node.hidden = keys.length < 2 && legend.more === 0;
  }

  clear(): void {
    this.key = '';
    this.node.replaceChildren();
    this.node.hidden = true;
  }
}
