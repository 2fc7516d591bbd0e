/** Small DOM builders for the explorer; every text goes in through textContent. */

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

export function button(
  doc: Document,
  text: string,
  onClick: () => void,
  className = 'sg-table-button',
): HTMLButtonElement {
  const b = el(doc, 'button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
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
  s.replaceChildren(
    ...options.map(([v, label]) => {
      const o = s.ownerDocument.createElement('option');
      o.value = v;
      o.textContent = label;
      return o;
    }),
  );
  if (options.some(([v]) => v === value)) s.value = value;
}

/** Saves bytes as a file through a temporary blob link. */
export function download(doc: Document, bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = el(doc, 'a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
