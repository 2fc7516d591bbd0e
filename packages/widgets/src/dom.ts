/**
 * Small DOM builders shared by every widget; every text goes in through textContent, never as markup. They take the
 * document to build in, so a widget can build in the document it is attached to.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A plain button (type=button, so it never submits a form); without `onClick` its owner listens for clicks. */
export function button(
  doc: Document,
  text: string,
  onClick?: () => void,
  className?: string,
): HTMLButtonElement {
  const b = el(doc, 'button', className, text);
  b.type = 'button';
  if (onClick) b.addEventListener('click', onClick);
  return b;
}

export function select(
  doc: Document,
  options: [value: string, label: string][],
  className?: string,
): HTMLSelectElement {
  const s = el(doc, 'select', className);
  setOptions(s, options);
  return s;
}

export function setOptions(s: HTMLSelectElement, options: [value: string, label: string][]): void {
  const value = s.value;
  s.replaceChildren(...options.map(([v, label]) => option(s.ownerDocument, v, label)));
  if (options.some(([v]) => v === value)) s.value = value;
}

export function option(doc: Document, value: string, label: string): HTMLOptionElement {
  const o = el(doc, 'option', undefined, label);
  o.value = value;
  return o;
}

/** Saves bytes or text as a file through a temporary object URL (nothing leaves the page). */
export function download(doc: Document, contents: BlobPart, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  downloadUrl(doc, url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves what a URL holds (an object or data URL made on the page) as a file, through a hidden link. */
export function downloadUrl(doc: Document, url: string, fileName: string): void {
  const link = el(doc, 'a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
}

/** Copies text to the clipboard; falls back to a hidden textarea where the async API is refused. */
export async function copyText(doc: Document, text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // insecure context or permission denied: use the selection-based copy
  }
  const area = el(doc, 'textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  area.select();
  doc.execCommand('copy');
  area.remove();
}
