import { closeSync, openSync, readSync } from 'node:fs';
import { DiskSpool, Spooled } from './disk-spool';
import { decodeRecordsFrom, recordsStart, SEGMENT_HEADER_BYTES } from './spool-record';

/** Bytes read from a segment at a time. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a spool's records forward from disk, a chunk at a time, while it is being appended to: a
 * long backlog is kept on disk, not in memory. The writer appends whole records with write(2) on
 * the same thread, so a read never sees half of one except a torn tail, which the spool's `open`
 * cut off.
 */
export class SpoolReader<T> {
  private fd?: number;
  private segmentFirstSeq?: number;
  private filePosition = 0;
  /** Bytes read from the segment and not yet decoded from `offset` on. */
  private buffer = Buffer.alloc(0);
  private offset = 0;
  /** Whether the segment's first bytes are still to be checked for its header. */
  private atSegmentStart = false;

  constructor(
    private readonly spool: DiskSpool<T>,
    /** The newest seq already handled: reading starts after it. */
    private afterSeq: number,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Up to `max` records after the last one read; fewer (or none) when it has caught up with the writer. */
  read(max: number): Array<Spooled<T>> {
    const out: Array<Spooled<T>> = [];
    while (out.length < max) {
      if (this.fd === undefined && !this.openNextSegment()) break;
      const { records, end } = this.atSegmentStart
        ? { records: [], end: this.offset }
        : decodeRecordsFrom<Spooled<T>>(this.buffer, this.offset, max - out.length);
      this.offset = end;
      for (const record of records) {
        if (record.seq <= this.afterSeq) continue;
        out.push(record);
        this.afterSeq = record.seq;
      }
      if (out.length >= max || records.length > 0) continue;
      if (this.readChunk()) continue;
      // At the end of this segment: the writer has moved on to a later one, or this is the newest.
      if (!this.laterSegment()) break;
      this.closeSegment();
    }
    return out;
  }

  close(): void {
    this.closeSegment();
  }

  private openNextSegment(): boolean {
    const files = this.spool.segmentFiles;
    const next =
      this.segmentFirstSeq === undefined
        ? (files.filter((file) => file.firstSeq <= this.afterSeq + 1).at(-1) ?? files[0])
        : this.laterSegment();
    if (!next) return false;
    this.fd = openSync(next.path, 'r');
    this.segmentFirstSeq = next.firstSeq;
    this.filePosition = 0;
    this.buffer = Buffer.alloc(0);
    this.offset = 0;
    this.atSegmentStart = true;
    return true;
  }

  private laterSegment(): { firstSeq: number; path: string } | undefined {
    return this.spool.segmentFiles.find((file) => file.firstSeq > (this.segmentFirstSeq ?? -1));
  }

  /** Appends the segment's next bytes to what is left undecoded; false at its end. */
  private readChunk(): boolean {
    const chunk = Buffer.allocUnsafe(this.chunkBytes);
    const read = readSync(this.fd!, chunk, 0, this.chunkBytes, this.filePosition);
    if (read === 0) return false;
    this.filePosition += read;
    this.buffer = Buffer.concat([this.buffer.subarray(this.offset), chunk.subarray(0, read)]);
    this.offset = 0;
    // A header and a record's length field are both 8 bytes: with fewer, neither can be told yet.
    if (this.atSegmentStart && this.buffer.length >= SEGMENT_HEADER_BYTES) {
      this.offset = recordsStart(this.buffer, `spool segment from seq ${this.segmentFirstSeq}`);
      this.atSegmentStart = false;
    }
    return true;
  }

  private closeSegment(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
