/**
 * Structural validation of an Arrow IPC stream before apache-arrow decodes it. Its decoder trusts every length in
 * the message headers: three flipped bits in a 2 KB history frame (with the frame's CRC recomputed) made it spin
 * for a minute and die at a 4.5 GB heap. This walk reads the headers with bounds checks and proves, without
 * allocating in proportion to any declared number, that every message, buffer and column node lies inside the
 * payload and is consistent with its type, so decoding costs time and memory in proportion to the payload.
 */
import { type Table, tableFromIPC } from 'apache-arrow';
import {
  type ArrowStreamLimits,
  checkMetadata,
  Fail,
  fail,
  type Layout,
  readSchema,
} from './arrow-layout.js';
import { InvalidArrowStreamError } from './errors.js';
import { FlatbufferBoundsError, FlatbufferTable } from './flatbuffer-table.js';

export type { ArrowStreamLimits } from './arrow-layout.js';

export interface ArrowStreamShape {
  batches: number;
  rows: number;
  /** Bytes of message bodies: what decoding may reference or copy. */
  bodyBytes: number;
}

const CONTINUATION = 0xffffffff;
const METADATA_V4 = 3;
const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;

/**
 * Checks `bytes` as one Arrow IPC stream; throws InvalidArrowStreamError naming the message's byte offset and
 * the reason. Costs time in proportion to the headers and the number of columns, never to declared lengths.
 */
export function checkArrowStream(bytes: Uint8Array, limits: ArrowStreamLimits = {}): ArrowStreamShape {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: ArrowStreamShape = { batches: 0, rows: 0, bodyBytes: 0 };
  let schema: Layout[] | null = null;
  /** Value layouts of the dictionary-encoded columns, by dictionary id (apache-arrow writes strings so). */
  const dictionaries = new Map<number, Layout>();
  let pos = 0;
  let messageAt = 0;
  try {
    while (pos < bytes.length) {
      messageAt = pos;
      if (bytes.length - pos < 4) fail('the stream ends inside a message length');
      let length = view.getUint32(pos, true);
      pos += 4;
      if (length === CONTINUATION) {
        if (bytes.length - pos < 4) fail('the stream ends inside a message length');
        length = view.getUint32(pos, true);
        pos += 4;
      }
      if (length === 0) break; // end of stream
      if (length > bytes.length - pos)
        fail(`a message header of ${length} bytes runs past the ${bytes.length}-byte payload`);
      const message = FlatbufferTable.root(view, pos, length);
      pos += length;
      const version = message.int16(0);
      if (version !== METADATA_V4 && version !== METADATA_V5) fail(`unsupported metadata version ${version}`);
      const bodyLength = message.int64(3);
      if (bodyLength < 0 || bodyLength > bytes.length - pos)
        fail(`a message body of ${bodyLength} bytes runs past the payload (${bytes.length - pos} left)`);
      const body = new DataView(bytes.buffer, bytes.byteOffset + pos, bodyLength);
      checkMetadata(message, 4);
      const headerType = message.uint8(1);
      const header = message.table(2) ?? fail('a message has no header');
      if (headerType === HEADER_SCHEMA) {
        if (schema) fail('a second schema message');
        if (bodyLength !== 0) fail('a schema message with a body');
        schema = readSchema(header, limits, dictionaries);
      } else if (headerType === HEADER_DICTIONARY_BATCH) {
        if (!schema) fail('a dictionary batch before the schema');
        const values = dictionaries.get(header.int64(0)) ?? fail('a dictionary batch for no column');
        checkBatch(header.table(1) ?? fail('a dictionary batch without data'), [values], body);
        shape.bodyBytes += bodyLength;
      } else if (headerType === HEADER_RECORD_BATCH) {
        if (!schema) fail('a record batch before the schema');
        shape.rows += checkBatch(header, schema as Layout[], body);
        shape.batches += 1;
        shape.bodyBytes += bodyLength;
      } else {
        fail(`message type ${headerType} (only schema, dictionary and record batch messages are read)`);
      }
      pos += bodyLength;
    }
    if (!schema) fail('the stream has no schema');
  } catch (error) {
    if (error instanceof Fail || error instanceof FlatbufferBoundsError)
      throw new InvalidArrowStreamError(messageAt, error.message, { cause: error });
    throw error;
  }
  return shape;
}

interface Cursor {
  body: DataView;
  nodes: { data: number; length: number; view: DataView };
  buffers: { data: number; length: number; view: DataView };
  node: number;
  buffer: number;
}

/** Checks one record batch against the schema; returns its row count. */
function checkBatch(batch: FlatbufferTable, schema: Layout[], body: DataView): number {
  if (batch.has(3)) fail('compressed buffers (Spyglass writes none and the page cannot decompress them)');
  if ((batch.structs(4, 8)?.length ?? 0) > 0) fail('variadic buffers (view types are not read)');
  const rows = batch.int64(0);
  // Every Spyglass column costs at least a bit per row (the step or runtime column 8 bytes), so more rows than
  // bits of body is a lie that would make every per-row loop spin.
  if (rows < 0 || rows > Math.max(64, body.byteLength * 8))
    fail(`a record batch of ${rows} rows in a ${body.byteLength}-byte body`);
  const cursor: Cursor = {
    body,
    nodes: batch.structs(1, 16) ?? fail('a record batch without field nodes'),
    buffers: batch.structs(2, 16) ?? { data: 0, length: 0, view: body },
    node: 0,
    buffer: 0,
  };
  for (const layout of schema) {
    const length = checkNode(layout, cursor);
    if (length !== rows) fail(`a column of ${length} rows in a batch of ${rows}`);
  }
  if (cursor.node !== cursor.nodes.length)
    fail(`${cursor.nodes.length} field nodes for ${cursor.node} columns`);
  if (cursor.buffer !== cursor.buffers.length)
    fail(`${cursor.buffers.length} buffers where ${cursor.buffer} belong`);
  return rows;
}

/** Checks the next node (and its children) and its buffers; returns the node's length. */
function checkNode(layout: Layout, cursor: Cursor): number {
  if (cursor.node >= cursor.nodes.length) fail('fewer field nodes than columns');
  const at = cursor.nodes.data + 16 * cursor.node++;
  const length = Number(cursor.nodes.view.getBigInt64(at, true));
  const nulls = Number(cursor.nodes.view.getBigInt64(at + 8, true));
  if (length < 0 || length > cursor.body.byteLength * 8 + 64) fail(`a column node of ${length} values`);
  if (nulls < 0 || nulls > length) fail(`${nulls} nulls in a column of ${length} values`);
  if (layout.kind === 'null') return length;
  const validity = nextBuffer(cursor);
  if (nulls > 0 && validity.length < Math.ceil(length / 8)) fail('a validity bitmap shorter than its column');
  switch (layout.kind) {
    case 'fixed':
      if (nextBuffer(cursor).length < length * layout.bytes) fail('a data buffer shorter than its column');
      break;
    case 'bits':
      if (nextBuffer(cursor).length < Math.ceil(length / 8)) fail('a boolean buffer shorter than its column');
      break;
    case 'binary': {
      const end = lastOffset(cursor, length, layout.offsetBytes);
      if (end > nextBuffer(cursor).length) fail('string offsets past the end of their data');
      break;
    }
    case 'list': {
      const end = lastOffset(cursor, length, 4);
      if (checkNode(layout.child, cursor) < end) fail('list offsets past the end of their values');
      break;
    }
    case 'fixed-list':
      if (checkNode(layout.child, cursor) < length * layout.size)
        fail('a fixed-size list with too few values');
      break;
    case 'struct':
      for (const child of layout.children)
        if (checkNode(child, cursor) < length) fail('a struct field shorter than its struct');
      break;
  }
  return length;
}

/** The next buffer's place in the body, checked to lie inside it. */
function nextBuffer(cursor: Cursor): { offset: number; length: number } {
  if (cursor.buffer >= cursor.buffers.length) fail('fewer buffers than the columns need');
  const at = cursor.buffers.data + 16 * cursor.buffer++;
  const offset = Number(cursor.buffers.view.getBigInt64(at, true));
  const length = Number(cursor.buffers.view.getBigInt64(at + 8, true));
  if (offset < 0 || length < 0 || offset + length > cursor.body.byteLength)
    fail(`a buffer at ${offset} of ${length} bytes outside the ${cursor.body.byteLength}-byte body`);
  return { offset, length };
}

/** Checks an offsets buffer of `length` values and returns its last offset (where the values end). */
function lastOffset(cursor: Cursor, length: number, width: 4 | 8): number {
  const offsets = nextBuffer(cursor);
  if (length === 0) return 0;
  if (offsets.length < (length + 1) * width) fail('an offsets buffer shorter than its column');
  const read = (i: number) =>
    width === 4
      ? cursor.body.getInt32(offsets.offset + i * 4, true)
      : Number(cursor.body.getBigInt64(offsets.offset + i * 8, true));
  const first = read(0);
  const last = read(length);
  if (first < 0 || last < first) fail(`offsets from ${first} to ${last}`);
  return last;
}

/** Decodes an Arrow IPC stream from a log, the comm or the server after checkArrowStream has accepted it. */
export function tableFromCheckedIPC(bytes: Uint8Array, limits?: ArrowStreamLimits): Table {
  checkArrowStream(bytes, limits);
  return tableFromIPC(bytes);
}
