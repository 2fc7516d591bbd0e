import { loadsCss } from '@spyglass/charts';

/**
 * The page-side half of keeping charts off the network (the spec half is sanitizeVegaSpec): an expression can
 * still build a `url(...)` string at run time and Vega would paint with it. A MutationObserver on the chart's
 * element removes any attribute whose value loads CSS as soon as Vega writes it; observer callbacks run before
 * the browser resolves styles, which is when it would fetch.
 */
export function guardChartElement(element: HTMLElement): MutationObserver {
  const scrub = (node: Element) => {
    for (const name of node.getAttributeNames()) {
      const value = node.getAttribute(name);
      if (value !== null && loadsCss(value)) node.removeAttribute(name);
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') scrub(record.target as Element);
      for (const added of record.addedNodes) {
        if (!(added instanceof Element)) continue;
        scrub(added);
        for (const inner of added.querySelectorAll('*')) scrub(inner);
      }
    }
  });
  observer.observe(element, { attributes: true, childList: true, subtree: true });
  return observer;
}

/**
 * vega-tooltip's layout (title, then a key/value table, every value escaped by `valueToHtml`) without its
 * `image` entry, which it shows as an `<img>` of whatever URL the datum holds.
 */
export function formatTooltip(value: unknown, valueToHtml: (value: unknown) => string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return valueToHtml(Array.isArray(value) ? JSON.stringify(value) : value);
  }
  const { title, image: _image, ...rest } = value as Record<string, unknown>;
  const heading = title === undefined ? '' : `<h2>${valueToHtml(title)}</h2>`;
  const rows = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => {
      const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
      return `<tr><td class="key">${valueToHtml(key)}</td><td class="value">${valueToHtml(text)}</td></tr>`;
    });
  return rows.length ? `${heading}<table>${rows.join('')}</table>` : heading;
}
