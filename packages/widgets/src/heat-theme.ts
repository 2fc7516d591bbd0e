import { DEFAULT_HEAT_THEME, type HeatStripTheme } from '@spyglass/charts';

/**
 * The heat strip colours of the page's JupyterLab theme: the count ramp runs from a layout colour (few) to the
 * brand colour (many), so it reads on light and dark themes alike. Charts carry colours as data, so they are
 * taken from CSS variables when a strip is created.
 */
export function heatThemeOf(element: Element): HeatStripTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--jp-ui-font-color1', DEFAULT_HEAT_THEME.text),
    line: read('--jp-border-color1', DEFAULT_HEAT_THEME.line),
    low: read('--jp-layout-color2', DEFAULT_HEAT_THEME.low),
    high: read('--jp-brand-color0', DEFAULT_HEAT_THEME.high),
  };
}

/** Calls `changed` when JupyterLab switches theme (light/dark); returns the function that stops listening. */
export function onThemeChange(changed: () => void): () => void {
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name'] });
  return () => observer.disconnect();
}
