import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { decodeRecords, encodeRecord, scanRecords, SEGMENT_HEADER_BYTES, segmentHeader } from './spool-record';

export interface Spooled<T> {
  seq: number;
  body: T;
}

const SEGMENT = /^(\d{16})\.spool$/;
const segmentName = (firstSeq: number) => `${String(firstSeq).padStart(16, '0')}.spool`;
const EPOCH_FILE = 'epoch';
/** The epoch of a spool folder that predates epochs: the one its commit marker has too. */
const LEGACY_EPOCH = '';

/**
 * An append-only log on local disk, in segments. `append` is a write(2): once it returns, the
 * record survives the process being killed (it is in the kernel), so the message may be
 * acknowledged. Segments whose records are all committed are deleted by `release`.
 */
export class DiskSpool<T> {
  private opened = false;
  /** The segment being written; opened by the first append after start-up or a rotation. */
  private fd?: number;
  private segmentBytes = 0;
  private nextSeq = 1;
  /** first seq and size of every segment on disk, oldest first */
  private segments: Array<{ firstSeq: number; bytes: number }> = [];
  private spoolEpoch?: string;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly segmentMaxBytes: number,
  ) {}

  /**
   * This spool's epoch: made when its folder is new, kept in the folder. Sequence numbers are
   * only comparable within one epoch: a spool in a new folder (a pod that lost its volume) starts
   * at 1 again, and must not take the previous spool's commit marker for its own.
   */
  get epoch(): string {
    if (this.spoolEpoch === undefined) throw new Error('spool is not open');
    return this.spoolEpoch;
  }

  /**
   * Reads what the last run left (a torn tail is cut off) and opens a fresh segment after it.
   * `read: false` checks the records without parsing or returning them, for a caller that reads
   * them later with a SpoolReader (a back-fill inbox may hold gigabytes).
   */
  open({ read = true }: { read?: boolean } = {}): Array<Spooled<T>> {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir)
      .filter((file) => SEGMENT.test(file))
      .sort();
    this.spoolEpoch = this.readOrMakeEpoch(names.length > 0);
    const left: Array<Spooled<T>> = [];
    let lastSeq: number | undefined;
    for (const name of names) {
      const path = join(this.dir, name);
      const bytes = readFileSync(path);
      let validBytes: number;
      if (read) {
        const decoded = decodeRecords<Spooled<T>>(bytes, path);
        validBytes = decoded.validBytes;
        // Not push(...records): a back-fill leaves segments of more records than a call has arguments.
        for (const record of decoded.records) left.push(record);
        lastSeq = decoded.records.at(-1)?.seq ?? lastSeq;
      } else {
        const scanned = scanRecords<Spooled<T>>(bytes, path);
        validBytes = scanned.validBytes;
        lastSeq = scanned.last?.seq ?? lastSeq;
      }
      if (validBytes < bytes.length) truncateSync(path, validBytes);
      this.segments.push({ firstSeq: Number(SEGMENT.exec(name)![1]), bytes: validBytes });
    }
    this.nextSeq = (lastSeq ?? this.segments.at(-1)?.firstSeq ?? 0) + 1;
    this.opened = true;
    return left;
  }

  /** The seq of the newest record appended (0 when none ever was). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The first seq of every segment on disk, oldest first, and where each one is. */
  get segmentFiles(): Array<{ firstSeq: number; path: string }> {
    return this.segments.map((segment) => ({ firstSeq: segment.firstSeq, path: join(this.dir, segmentName(segment.firstSeq)) }));
  }

  get bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  get full(): boolean {
    return this.bytes >= this.maxBytes;
  }

  append(body: T): number {
    if (!this.opened) throw new Error('spool is not open');
    const seq = this.nextSeq++;
    const record = encodeRecord({ seq, body } satisfies Spooled<T>);
    if (this.fd === undefined || (this.segmentBytes > SEGMENT_HEADER_BYTES && this.segmentBytes + record.length > this.segmentMaxBytes))
      this.startSegment(seq);
    writeSync(this.fd!, record);
    this.segmentBytes += record.length;
    this.segments.at(-1)!.bytes += record.length;
    return seq;
  }

  /** Deletes the segments whose every record has a seq up to `committedSeq`. */
  release(committedSeq: number): void {
    while (this.segments.length > 1 && this.segments[1].firstSeq <= committedSeq + 1) {
      const [oldest] = this.segments.splice(0, 1);
      unlinkSync(join(this.dir, segmentName(oldest.firstSeq)));
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.opened = false;
  }

  private startSegment(firstSeq: number): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(join(this.dir, segmentName(firstSeq)), 'a');
    const header = segmentHeader();
    writeSync(this.fd, header);
    this.segmentBytes = header.length;
    this.segments.push({ firstSeq, bytes: header.length });
  }

  private readOrMakeEpoch(hasSegments: boolean): string {
    const path = join(this.dir, EPOCH_FILE);
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    // Segments without an epoch file were written before epochs: their commit marker has the legacy epoch.
    const epoch = hasSegments ? LEGACY_EPOCH : randomUUID();
    writeFileSync(path, epoch);
    return epoch;
  }
}
