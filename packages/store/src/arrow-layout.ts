import type { FlatbufferTable } from './flatbuffer-table.js';

/**
 * Column layouts of an Arrow schema, read from its (possibly hostile) flatbuffer for checkArrowStream: what
 * buffers and child nodes each column has in a record batch and how long they must be for a given length.
 */
export type Layout =
  | { kind: 'null' }
  | { kind: 'fixed'; bytes: number }
  | { kind: 'bits' }
  | { kind: 'binary'; offsetBytes: 4 | 8 }
  | { kind: 'list'; child: Layout }
  | { kind: 'fixed-list'; size: number; child: Layout }
  | { kind: 'struct'; children: Layout[] };

export interface ArrowStreamLimits {
  /** Columns (nested ones included) a schema may have. */
  maxFields?: number;
  /** Nesting depth of column types. */
  maxDepth?: number;
}

const MAX_WIDTH = 1 << 20;

/** A structural lie found while checking; checkArrowStream turns it into InvalidArrowStreamError. */
export class Fail extends Error {}
export const fail = (reason: string): never => {
  throw new Fail(reason);
};
/**
 * Checks a custom_metadata vector (key/value strings) against the buffer: apache-arrow loops over its declared
 * length, so one flipped bit in it spun for seconds even though every column was sound.
 */
export function checkMetadata(table: FlatbufferTable, id: number): void {
  for (const entry of table.tables(id)) {
    entry.stringLength(0);
    entry.stringLength(1);
  }
}

interface SchemaBudget {
  fields: number;
  depth: number;
  dictionaries: Map<number, Layout>;
}

export function readSchema(
  schema: FlatbufferTable,
  limits: ArrowStreamLimits,
  dictionaries: Map<number, Layout>,
): Layout[] {
  if (schema.int16(0) !== 0) fail('a big-endian schema');
  checkMetadata(schema, 2);
  schema.structs(3, 8);
  const budget = { fields: limits.maxFields ?? 100_000, depth: limits.maxDepth ?? 32, dictionaries };
  return schema.tables(1).map((field) => readField(field, budget, 0));
}

/** A column's layout in a record batch; a dictionary-encoded one is its indices, its values registered by id. */
function readField(field: FlatbufferTable, budget: SchemaBudget, depth: number): Layout {
  if (--budget.fields < 0) fail('too many columns');
  if (depth > budget.depth) fail('column types nested too deep');
  field.stringLength(0);
  checkMetadata(field, 6);
  const values = valueLayout(field, budget, depth);
  const dictionary = field.table(4);
  if (!dictionary) return values;
  const id = dictionary.int64(0);
  if (budget.dictionaries.has(id)) fail(`dictionary id ${id} used twice`);
  budget.dictionaries.set(id, values);
  const bits = dictionary.table(1)?.int32(0) ?? 32;
  if (![8, 16, 32, 64].includes(bits)) fail(`dictionary indices of ${bits} bits`);
  return { kind: 'fixed', bytes: bits / 8 };
}

function valueLayout(field: FlatbufferTable, budget: SchemaBudget, depth: number): Layout {
  const typeId = field.uint8(2);
  const type = field.table(3);
  const children = field.tables(5);
  const leaf = (layout: Layout): Layout => {
    if (children.length !== 0) fail(`a type ${typeId} column with child columns`);
    return layout;
  };
  const param = (id: number, fallback = 0) => (type ? type.int32(id, fallback) : fallback);
  const short = (id: number, fallback = 0) => (type ? type.int16(id, fallback) : fallback);
  const child = (): Layout => {
    if (children.length !== 1) fail(`a nested column with ${children.length} children instead of 1`);
    return readField(children[0], budget, depth + 1);
  };
  switch (typeId) {
    case 1:
      return leaf({ kind: 'null' });
    case 2: {
      const bits = param(0);
      if (![8, 16, 32, 64].includes(bits)) fail(`an integer of ${bits} bits`);
      return leaf({ kind: 'fixed', bytes: bits / 8 });
    }
    case 3: {
      const precision = short(0);
      if (precision < 0 || precision > 2) fail(`floating point precision ${precision}`);
      return leaf({ kind: 'fixed', bytes: 2 << precision });
    }
    case 4:
    case 5:
      return leaf({ kind: 'binary', offsetBytes: 4 });
    case 6:
      return leaf({ kind: 'bits' });
    case 7: {
      const bits = param(2, 128);
      if (![32, 64, 128, 256].includes(bits)) fail(`a decimal of ${bits} bits`);
      return leaf({ kind: 'fixed', bytes: bits / 8 });
    }
    case 8:
      return leaf({ kind: 'fixed', bytes: short(0, 1) === 0 ? 4 : 8 });
    case 9: {
      const bits = param(1, 32);
      if (bits !== 32 && bits !== 64) fail(`a time of ${bits} bits`);
      return leaf({ kind: 'fixed', bytes: bits / 8 });
    }
    case 10:
    case 18:
      if (type?.has(1)) type.stringLength(1);
      return leaf({ kind: 'fixed', bytes: 8 });
    case 11: {
      const unit = short(0);
      if (unit < 0 || unit > 2) fail(`interval unit ${unit}`);
      return leaf({ kind: 'fixed', bytes: [4, 8, 16][unit] });
    }
    case 12:
      return { kind: 'list', child: child() };
    case 13:
      return { kind: 'struct', children: children.map((c) => readField(c, budget, depth + 1)) };
    case 15: {
      const width = param(0);
      if (width < 1 || width > MAX_WIDTH) fail(`fixed-size binary of width ${width}`);
      return leaf({ kind: 'fixed', bytes: width });
    }
    case 16: {
      const size = param(0);
      if (size < 0 || size > MAX_WIDTH) fail(`fixed-size list of size ${size}`);
      return { kind: 'fixed-list', size, child: child() };
    }
    case 17: {
      const entries = child();
      if (entries.kind !== 'struct' || entries.children.length !== 2)
        fail('a map whose entries are not pairs');
      return { kind: 'list', child: entries };
    }
    case 19:
    case 20:
      return leaf({ kind: 'binary', offsetBytes: 8 });
    default:
      return fail(`column type ${typeId}, which this reader does not decode`);
  }
}
