import { crc32c } from './crc32c.js';
import { CorruptLogError, UnsupportedLogVersionError } from './errors.js';

/** Byte layout of docs/store-format.md, version 1. */
export const FILE_MAGIC = Uint8Array.of(0x53, 0x50, 0x59, 0x47, 0x4c, 0x4f, 0x47, 0x00); // "SPYGLOG\0"
export const FRAME_MAGIC = Uint8Array.of(0x53, 0x47, 0x46, 0x52); // "SGFR"
export const FILE_HEADER_BYTES = 16;
export const FRAME_HEADER_BYTES = 24;
export const FORMAT_VERSION = 1;

/** One frame: `offset` is where its 24-byte header starts; `payload` is a view into the input, not a copy. */
export interface LogFrame {
  seq: number;
  offset: number;
  payload: Uint8Array;
}

export interface TornTail {
  offset: number;
  reason: string;
}

export interface LogContents {
  frames: LogFrame[];
  /** End of the complete valid prefix (a writer truncates to here before appending). */
  validEnd: number;
  torn: TornTail | null;
}

export interface ReadOptions {
  /** Accept any first sequence number (for a `log_slice` answer that starts mid-log). */
  anyFirstSeq?: boolean;
  /** Names the file in error messages. */
  source?: string;
}

/** A prefix read that reports corruption instead of throwing. */
export interface LogPrefix extends LogContents {
  corrupt: { offset: number; reason: string } | null;
}

function startsWith(bytes: Uint8Array, at: number, magic: Uint8Array): boolean {
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Reads the complete valid prefix of a framed log and says why it stopped.
 * Never throws for corruption: `corrupt` names the offset, and `frames` holds everything before it.
 */
export function readFramedLogPrefix(bytes: Uint8Array, opts: ReadOptions = {}): LogPrefix {
  const frames: LogFrame[] = [];
  const torn = (offset: number, reason: string): LogPrefix => ({
    frames,
    validEnd: offset,
    torn: { offset, reason },
    corrupt: null,
  });
  const corrupt = (offset: number, reason: string): LogPrefix => ({
    frames,
    validEnd: offset,
    torn: null,
    corrupt: { offset, reason },
  });
  if (bytes.length === 0) return { frames, validEnd: 0, torn: null, corrupt: null };
  if (bytes.length < FILE_HEADER_BYTES) return torn(0, 'incomplete file header');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWith(bytes, 0, FILE_MAGIC)) return corrupt(0, 'bad file magic');
  if (crc32c(bytes.subarray(0, 12)) !== view.getUint32(12, true))
    return corrupt(0, 'file header checksum mismatch');
  const version = view.getUint16(8, true);
  if (version !== FORMAT_VERSION) throw new UnsupportedLogVersionError(version);

  let pos = FILE_HEADER_BYTES;
  let expected: number | null = opts.anyFirstSeq ? null : 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < FRAME_HEADER_BYTES) return torn(pos, 'incomplete frame header');
    const headerOk =
      startsWith(bytes, pos, FRAME_MAGIC) &&
      crc32c(bytes.subarray(pos, pos + 20)) === view.getUint32(pos + 20, true);
    if (!headerOk) {
      // A crash can leave the file extended with zeros past the last complete write.
      return allZero(bytes, pos)
        ? torn(pos, 'zero-filled tail')
        : corrupt(pos, 'bad frame header (magic or checksum)');
    }
    const length = view.getUint32(pos + 4, true);
    const seq = Number(view.getBigUint64(pos + 8, true));
    if (expected !== null && seq !== expected)
      return corrupt(pos, `sequence number ${seq}, expected ${expected}`);
    const end = pos + FRAME_HEADER_BYTES + length;
    if (end > bytes.length) return torn(pos, 'incomplete frame payload');
    const payload = bytes.subarray(pos + FRAME_HEADER_BYTES, end);
    if (crc32c(payload) !== view.getUint32(pos + 16, true)) {
      // Only the last write can be cut short; a bad checksum anywhere else is damage.
      return end === bytes.length
        ? torn(pos, 'payload checksum mismatch in the last frame')
        : corrupt(pos, 'payload checksum mismatch');
    }
    frames.push({ seq, offset: pos, payload });
    expected = seq + 1;
    pos = end;
  }
  return { frames, validEnd: pos, torn: null, corrupt: null };
}

/** Reads the complete valid prefix of a framed log; throws CorruptLogError on mid-file corruption. */
export function readFramedLog(bytes: Uint8Array, opts: ReadOptions = {}): LogContents {
  const { frames, validEnd, torn, corrupt } = readFramedLogPrefix(bytes, opts);
  if (corrupt) throw new CorruptLogError(corrupt.offset, corrupt.reason, opts.source);
  return { frames, validEnd, torn };
}
