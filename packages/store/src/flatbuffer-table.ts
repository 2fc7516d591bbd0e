import { StoreError } from './errors.js';

/**
 * A bounds-checked reader of FlatBuffers tables, for metadata that may be hostile (Arrow IPC message headers from
 * a log or the comm). The flatbuffers runtime apache-arrow uses trusts every offset and vector length, so a
 * flipped bit in a length makes its decoder loop over billions of entries; this reader checks each offset and
 * length against the buffer before it is used and throws FlatbufferBoundsError instead.
 */
export class FlatbufferBoundsError extends StoreError {
  override name = 'FlatbufferBoundsError';
}

export class FlatbufferTable {
  private constructor(
    private readonly view: DataView,
    readonly position: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
  ) {}

  /** The root table of a flatbuffer of `length` bytes starting at `offset` in `view`. */
  static root(view: DataView, offset: number, length: number): FlatbufferTable {
    const bounded = new DataView(view.buffer, view.byteOffset + offset, length);
    return FlatbufferTable.at(bounded, readU32(bounded, 0, 'root offset'));
  }

  private static at(view: DataView, position: number): FlatbufferTable {
    const vtable = position - readI32(view, position, 'table vtable offset');
    const vtableSize = readU16(view, vtable, 'vtable size');
    const tableSize = readU16(view, vtable + 2, 'table size');
    if (vtableSize < 4 || vtableSize % 2 !== 0)
      throw new FlatbufferBoundsError(`bad vtable size ${vtableSize}`);
    check(view, vtable, vtableSize, 'vtable');
    check(view, position, Math.max(tableSize, 4), 'table');
    return new FlatbufferTable(view, position, vtable, vtableSize, tableSize);
  }

  /** Where field `id` lies in the buffer, or null when the table leaves it at its default. */
  private field(id: number, size: number): number | null {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return null;
    const offset = this.view.getUint16(this.vtable + slot, true);
    if (offset === 0) return null;
    if (offset + size > this.tableSize) throw new FlatbufferBoundsError(`field ${id} lies outside its table`);
    return this.position + offset;
  }

  has(id: number): boolean {
    return this.field(id, 1) !== null;
  }

  uint8(id: number, fallback = 0): number {
    const at = this.field(id, 1);
    return at === null ? fallback : this.view.getUint8(at);
  }

  int16(id: number, fallback = 0): number {
    const at = this.field(id, 2);
    return at === null ? fallback : this.view.getInt16(at, true);
  }

  int32(id: number, fallback = 0): number {
    const at = this.field(id, 4);
    return at === null ? fallback : this.view.getInt32(at, true);
  }

  /** An int64 field as a number; values past 2^53 come out inexact, which every check here still rejects. */
  int64(id: number, fallback = 0): number {
    const at = this.field(id, 8);
    return at === null ? fallback : Number(this.view.getBigInt64(at, true));
  }

  /** A sub-table (or union value), or null when absent. */
  table(id: number): FlatbufferTable | null {
    const at = this.field(id, 4);
    return at === null ? null : FlatbufferTable.at(this.view, at + readU32(this.view, at, 'table offset'));
  }

  /** A string's byte length (its bytes checked to lie in the buffer), or null when absent. */
  stringLength(id: number): number | null {
    const start = this.vectorStart(id, 1);
    return start === null ? null : start.length;
  }

  /** The tables of a vector of tables (an empty list when absent). */
  tables(id: number): FlatbufferTable[] {
    const start = this.vectorStart(id, 4);
    if (start === null) return [];
    const out: FlatbufferTable[] = [];
    for (let i = 0; i < start.length; i++) {
      const at = start.data + 4 * i;
      out.push(FlatbufferTable.at(this.view, at + this.view.getUint32(at, true)));
    }
    return out;
  }

  /** A vector of structs of `size` bytes: where it starts and its length, or null when absent. */
  structs(id: number, size: number): { data: number; length: number; view: DataView } | null {
    const start = this.vectorStart(id, size);
    return start === null ? null : { ...start, view: this.view };
  }

  private vectorStart(id: number, elementSize: number): { data: number; length: number } | null {
    const at = this.field(id, 4);
    if (at === null) return null;
    const vector = at + readU32(this.view, at, 'vector offset');
    const length = readU32(this.view, vector, 'vector length');
    check(this.view, vector + 4, length * elementSize, 'vector');
    return { data: vector + 4, length };
  }
}

function check(view: DataView, at: number, size: number, what: string): void {
  if (at < 0 || size < 0 || at + size > view.byteLength)
    throw new FlatbufferBoundsError(
      `${what} at ${at} (${size} bytes) runs past the ${view.byteLength}-byte buffer`,
    );
}

function readU16(view: DataView, at: number, what: string): number {
  check(view, at, 2, what);
  return view.getUint16(at, true);
}

function readU32(view: DataView, at: number, what: string): number {
  check(view, at, 4, what);
  return view.getUint32(at, true);
}

function readI32(view: DataView, at: number, what: string): number {
  check(view, at, 4, what);
  return view.getInt32(at, true);
}
