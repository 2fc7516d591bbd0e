import { ReportDataError } from './errors.js';
import type { SeriesRef } from './report-data.js';

/** Base64 text (whitespace allowed) to bytes. */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Inflates zlib-wrapped deflate data with the browser's own DecompressionStream (no library, no fetch). */
export async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** One decoded series: x and y of equal length. */
export interface DecodedSeries {
  x: Float64Array;
  y: Float32Array;
}

/** Reads one series out of the (inflated) binary block; little-endian, no alignment needed. */
export function decodeSeries(block: Uint8Array, ref: SeriesRef): DecodedSeries {
  const xBytes = ref.x === 'i32-delta' ? 4 : 8;
  if (ref.offset + ref.n * (xBytes + 4) > block.byteLength)
    throw new ReportDataError(`series of run ${ref.run} lies outside the data block`);
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const x = new Float64Array(ref.n);
  const y = new Float32Array(ref.n);
  let at = ref.offset;
  let previous = 0;
  for (let i = 0; i < ref.n; i++) {
    if (ref.x === 'i32-delta') {
      previous += view.getInt32(at, true);
      x[i] = previous;
    } else {
      x[i] = view.getFloat64(at, true);
    }
    at += xBytes;
  }
  for (let i = 0; i < ref.n; i++, at += 4) y[i] = view.getFloat32(at, true);
  return { x, y };
}
