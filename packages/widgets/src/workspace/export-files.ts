import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { headlessView } from '../vega-render.js';

/** Saves bytes or text as a file through a temporary object URL (nothing leaves the page). */
export function downloadFile(fileName: string, contents: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  downloadUrl(fileName, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves what a URL holds (an object or data URL made on the page) as a file. */
export function downloadUrl(fileName: string, url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

/** A file name from a panel title: letters, digits, dot, dash and underscore only. */
export function safeFileName(title: string, extension: string): string {
  const stem = title.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'panel';
  return `${stem.slice(0, 80)}.${extension}`;
}

/** Saves what a chart shows as PNG (2× scale) or SVG, rendered by vega itself. */
export async function exportImage(view: View, title: string, format: 'png' | 'svg'): Promise<void> {
  const url = await view.toImageURL(format, format === 'png' ? 2 : 1);
  downloadUrl(safeFileName(title, format), url);
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
  downloadFile(
    safeFileName(title, 'vl.json'),
    JSON.stringify(specWithData(spec, view), null, 1),
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
    downloadFile(safeFileName(title, 'vl.json'), JSON.stringify(spec, null, 1), 'application/json');
    return;
  }
  const view = await headlessView(spec);
  try {
    downloadUrl(safeFileName(title, format), await view.toImageURL(format, format === 'png' ? 2 : 1));
  } finally {
    view.finalize();
  }
}
