/**
 * Native controls dressed as JupyterLab's own: its theme styles `jp-mod-styled` inputs and selects and
 * `jp-Button` buttons through its CSS variables, so they follow the light and dark themes without React.
 * `jp-SpyglassControl` (labextension/style/workspace.css) fits them to a toolbar row.
 */
export function styledControl<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  control: T,
  label?: string,
): T {
  control.classList.add('jp-mod-styled', 'jp-SpyglassControl');
  if (label !== undefined) control.setAttribute('aria-label', label);
  return control;
}

/** A button in JupyterLab's style (`minimal`: no frame, as in its toolbars). */
export function styledButton(button: HTMLButtonElement, label?: string, minimal = false): HTMLButtonElement {
  button.classList.add('jp-Button', 'jp-mod-styled', 'jp-SpyglassButton');
  if (minimal) button.classList.add('jp-mod-minimal');
  if (label !== undefined) button.setAttribute('aria-label', label);
  return button;
}
