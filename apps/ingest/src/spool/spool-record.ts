import { crc32 } from 'node:zlib';

/** A spooled record: [u32 length][u32 crc32 of body][body: JSON]. */
const HEADER_BYTES = 8;

export function encodeRecord(body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(json.length, 0);
  header.writeUInt32LE(crc32(json), 4);
  return Buffer.concat([header, json]);
}

/**
 * The records of a segment, in order. Reading stops at a torn tail (a crash in the middle of an
 * append): the record that was being written was never acknowledged, so the broker still has it.
 */
export function decodeRecords<T>(segment: Buffer): { records: T[]; validBytes: number } {
  const records: T[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= segment.length) {
    const length = segment.readUInt32LE(offset);
    const checksum = segment.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (end > segment.length) break;
    const body = segment.subarray(offset + HEADER_BYTES, end);
    if (crc32(body) !== checksum) break;
    records.push(JSON.parse(body.toString('utf8')) as T);
    offset = end;
  }
  return { records, validBytes: offset };
}
