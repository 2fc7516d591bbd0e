import type { CellValue } from '@spyglass/store';

/** A shift-click range stops adding rows once the selection holds this many. */
const MAX_SELECTED = 10_000;

/**
 * The rows picked by clicking row numbers (what the linked chart draws): a click toggles one row, a shift-click
 * adds the rows from the last click to this one. Rows are kept by view index with their values.
 */
export class RowSelection {
  private readonly rows = new Map<number, readonly CellValue[]>();
  private anchor: number | null = null;

  get size(): number {
    return this.rows.size;
  }

  indices(): Iterable<number> {
    return this.rows.keys();
  }

  values(): (readonly CellValue[])[] {
    return [...this.rows.values()];
  }

  /** Applies a click on row `index`; `rowAt` reads the other rows of a range (rows not loaded are skipped). */
  click(
    index: number,
    row: readonly CellValue[],
    extend: boolean,
    rowAt: (index: number) => readonly CellValue[] | undefined,
  ): void {
    if (extend && this.anchor !== null) {
      const [a, b] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (let i = a; i <= b && this.rows.size < MAX_SELECTED; i++) {
        const r = rowAt(i);
        if (r) this.rows.set(i, r);
      }
    } else if (this.rows.has(index)) {
      this.rows.delete(index);
    } else {
      this.rows.set(index, row);
    }
    this.anchor = index;
  }

  clear(): void {
    this.rows.clear();
    this.anchor = null;
  }
}
