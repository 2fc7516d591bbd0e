import { crc32c } from '../../src/crc32c.js';
import { FILE_MAGIC, FRAME_MAGIC } from '../../src/framed-log.js';

/** Test-only writer of the framed-log layout in docs/store-format.md, so reader tests need no Python. */
export function fileHeader(version = 1): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  bytes.set(FILE_MAGIC, 0);
  view.setUint16(8, version, true);
  view.setUint32(12, crc32c(bytes.subarray(0, 12)), true);
  return bytes;
}

export function frame(seq: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(24 + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set(FRAME_MAGIC, 0);
  view.setUint32(4, payload.length, true);
  view.setBigUint64(8, BigInt(seq), true);
  view.setUint32(16, crc32c(payload), true);
  view.setUint32(20, crc32c(bytes.subarray(0, 20)), true);
  bytes.set(payload, 24);
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A whole log of the given payloads, seqs from `firstSeq`. */
export function framedLog(payloads: Uint8Array[], firstSeq = 0): Uint8Array {
  return concat(fileHeader(), ...payloads.map((p, i) => frame(firstSeq + i, p)));
}
