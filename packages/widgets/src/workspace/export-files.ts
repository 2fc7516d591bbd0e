import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { download, downloadUrl } from '../dom.js';
import { headlessView } from '../vega-render.js';

/** A file name from a panel title: letters, digits, dot, dash and underscore only. */
export function safeFileName(title: string, extension: string): string {
  const stem = title.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'panel';
  return `${stem.slice(0, 80)}.${extension}`;
}

/** Saves what a chart shows as PNG (2× scale) or SVG, rendered by vega itself. */
export async function exportImage(view: View, title: string, format: 'png' | 'svg'): Promise<void> {
  const url = await view.toImageURL(format, format === 'png' ? 2 : 1);
  downloadUrl(document, url, safeFileName(title, format));
}

/**
 * The chart's Vega-Lite spec with the rows it currently shows inlined into its named datasets, so the file
 * renders the same picture anywhere (vega-embed, the Vega editor) without Spyglass.
 */
export function specWithData(spec: TopLevelSpec, view: View): TopLevelSpec {
  const datasets = (spec as { datasets?: Record<string, unknown[]> }).datasets ?? {};
  const filled: Record<string, unknown[]> = {};
  for (const name of Object.keys(datasets)) {
    try {
      filled[name] = view.data(name).map((row) => ({ ...row }));
    } catch {
      filled[name] = datasets[name];
    }
  }
  return { ...spec, datasets: filled } as TopLevelSpec;
}

export function exportSpec(spec: TopLevelSpec, view: View, title: string): void {
  download(
    document,
    JSON.stringify(specWithData(spec, view), null, 1),
    safeFileName(title, 'vl.json'),
    'application/json',
  );
}

/**
 * A panel's spec as a file holds it: the rows shown inlined, and the panel's title unless the spec has its own (in
 * the workspace the title is the panel header's, not Vega's).
 */
export function panelSpecForFile(spec: TopLevelSpec, view: View, title: string): TopLevelSpec {
  return specWithData('title' in spec ? spec : ({ ...spec, title } as TopLevelSpec), view);
}

/** Saves a self-contained spec as the spec file, or as PNG (2×) / SVG rendered from it off screen. */
export async function exportChart(
  spec: TopLevelSpec,
  title: string,
  format: 'png' | 'svg' | 'spec',
): Promise<void> {
  if (format === 'spec') {
    download(document, JSON.stringify(spec, null, 1), safeFileName(title, 'vl.json'), 'application/json');
    return;
  }
  const view = await headlessView(spec);
  try {
    downloadUrl(
      document,
      await view.toImageURL(format, format === 'png' ? 2 : 1),
      safeFileName(title, format),
    );
  } finally {
    view.finalize();
  }
}
