import { crc32 } from 'node:zlib';

/**
 * A segment starts with a header naming its format: the magic `HWSPOOL` and a version byte. Then
 * records: [u32 length][u32 crc32 of body][body: JSON]. Segments written before the header existed
 * (format 1) start with their first record; no record is long enough to read as the magic.
 */
const MAGIC = Buffer.from('HWSPOOL', 'ascii');
export const SEGMENT_HEADER_BYTES = MAGIC.length + 1;
/** The format this build writes; it reads this one and format 1. */
export const SPOOL_FORMAT = 2;
const HEADER_BYTES = 8;

/** A segment this build cannot read: stop rather than guess (and discard acknowledged messages). */
export class SpoolFormatError extends Error {}

export function segmentHeader(): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([SPOOL_FORMAT])]);
}

export function encodeRecord(body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(json.length, 0);
  header.writeUInt32LE(crc32(json), 4);
  return Buffer.concat([header, json]);
}

/** Where a segment's records start (after its header, when it has one). */
export function recordsStart(segment: Buffer, name: string): number {
  if (segment.length < MAGIC.length || !segment.subarray(0, MAGIC.length).equals(MAGIC)) return 0;
  if (segment.length < SEGMENT_HEADER_BYTES) return 0; // torn while its header was written: nothing in it
  const format = segment[MAGIC.length];
  if (format !== SPOOL_FORMAT)
    throw new SpoolFormatError(`spool segment ${name} is in format ${format}; this build reads formats 1 and ${SPOOL_FORMAT}`);
  return SEGMENT_HEADER_BYTES;
}

/**
 * The records of a segment, in order. Reading stops at a torn tail (a crash in the middle of an
 * append): the record that was being written was never acknowledged, so the broker still has it.
 */
export function decodeRecords<T>(segment: Buffer, name = 'segment'): { records: T[]; validBytes: number } {
  const { records, end } = decodeRecordsFrom<T>(segment, recordsStart(segment, name));
  return { records, validBytes: end };
}

/**
 * The whole records in `bytes` from `offset` on (at most `max`), and where the first one not
 * returned starts: a reader of a segment that is still being appended to carries the rest over to
 * its next read.
 */
export function decodeRecordsFrom<T>(bytes: Buffer, offset: number, max = Infinity): { records: T[]; end: number } {
  const records: T[] = [];
  let end = offset;
  if (max <= 0) return { records, end };
  for (const record of wholeRecords(bytes, offset)) {
    records.push(JSON.parse(record.body.toString('utf8')) as T);
    end = record.end;
    if (records.length >= max) break;
  }
  return { records, end };
}

/**
 * A segment's records checked without parsing them (a large back-fill inbox is read later, one
 * record at a time): where the whole ones end, and the last one.
 */
export function scanRecords<T>(segment: Buffer, name = 'segment'): { validBytes: number; last: T | undefined } {
  let validBytes = recordsStart(segment, name);
  let last: Buffer | undefined;
  for (const record of wholeRecords(segment, validBytes)) {
    validBytes = record.end;
    last = record.body;
  }
  return { validBytes, last: last && (JSON.parse(last.toString('utf8')) as T) };
}

/** Each whole record's body from `offset` on, with where it ends; stops at a torn or corrupted one. */
function* wholeRecords(bytes: Buffer, offset: number): Generator<{ body: Buffer; end: number }> {
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (end > bytes.length) return;
    const body = bytes.subarray(offset + HEADER_BYTES, end);
    if (crc32(body) !== checksum) return;
    yield { body, end };
    offset = end;
  }
}
