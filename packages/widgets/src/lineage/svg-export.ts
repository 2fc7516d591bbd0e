import { SVG_NS } from './lineage-svg.js';

// Fixed light colours: an exported file is read outside JupyterLab, where the theme's CSS variables do not exist.
const EXPORT_STYLE = `
.jp-SpyglassLineage-box { fill: #ffffff; stroke: #9e9e9e; stroke-width: 1; }
.jp-SpyglassLineage-node[data-kind='run'] .jp-SpyglassLineage-box { fill: #e3f2fd; stroke: #1976d2; }
.jp-SpyglassLineage-node[data-kind='artifact'] .jp-SpyglassLineage-box { fill: #fff8e1; stroke: #ef6c00; }
.jp-SpyglassLineage-node[data-kind='group'] .jp-SpyglassLineage-box { fill: #f5f5f5; stroke-dasharray: 4 3; }
.jp-SpyglassLineage-node.jp-mod-selected .jp-SpyglassLineage-box { stroke-width: 3; }
.jp-SpyglassLineage-node.jp-mod-path .jp-SpyglassLineage-box { stroke-width: 2; }
.jp-SpyglassLineage-title { font-family: sans-serif; font-weight: 600; fill: #212121; }
.jp-SpyglassLineage-subtitle, .jp-SpyglassLineage-more { font-family: sans-serif; fill: #424242; }
.jp-SpyglassLineage-chip rect { fill: #e0e0e0; }
.jp-SpyglassLineage-chip-text { font-family: sans-serif; fill: #424242; }
.jp-SpyglassLineage-edge { fill: none; stroke: #9e9e9e; stroke-width: 1.5; }
.jp-SpyglassLineage-edge.jp-mod-path { stroke: #1976d2; stroke-width: 2.5; }
.jp-SpyglassLineage-arrow { fill: #9e9e9e; }
.jp-mod-dimmed { opacity: 0.35; }
`;

/**
 * A standalone SVG document of the whole drawn graph as it looks now (selection and path included), without
 * the pan and zoom, styled with fixed colours so it reads the same in any viewer.
 */
export function standaloneSvg(svg: SVGSVGElement, width: number, height: number): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(Math.ceil(width)));
  copy.setAttribute('height', String(Math.ceil(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  for (const name of ['class', 'tabindex', 'data-scale', 'style', 'role', 'aria-label'])
    copy.removeAttribute(name);
  copy.querySelector('[data-viewport]')?.removeAttribute('transform');
  for (const node of copy.querySelectorAll('[tabindex]')) node.removeAttribute('tabindex');
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = EXPORT_STYLE;
  copy.prepend(style);
  return new XMLSerializer().serializeToString(copy);
}
