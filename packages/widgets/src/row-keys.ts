/**
 * Keyboard movement in a list of rows (the runs table, the table explorer's grid, the run browser's tree): where a
 * key takes the focused row among `count` rows, or null when the key does not move it. `page` is how many rows a
 * Page Up/Down jumps (the rows in view).
 */
export function rowAfterKey(key: string, current: number, count: number, page: number): number | null {
  if (count <= 0) return null;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case 'ArrowDown':
      return clamp(current + 1);
    case 'ArrowUp':
      return clamp(current - 1);
    case 'PageDown':
      return clamp(current + Math.max(1, page));
    case 'PageUp':
      return clamp(current - Math.max(1, page));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
