import { Logger } from '@nestjs/common';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATE_AFTER_MS } from '@hallwatch/readings';
import { ReceivedMessage } from './ingest-pipeline.service';
import { DiskSpool, Spooled } from './spool/disk-spool';
import { SpoolReader } from './spool/spool-reader';
import { EventLoopLag } from './event-loop-lag';

/** A message as it arrived, kept until the pipeline has taken it. */
interface InboxRecord {
  source: string;
  topic: string;
  /** base64: the inbox keeps the bytes exactly, whatever they are. */
  payload: string;
  receivedAt: number;
}

/**
 * The event loop running later than this means live readings are waiting (on a busy machine, on
 * the garbage collector, on a stored batch's follow-up): the inbox then waits until it is on time.
 * History takes what the live path leaves.
 */
const LIVE_WAITS_AFTER_MS = 40;
/** The position file is written at most this often; a crash re-feeds at most this much (counted as duplicates). */
const POSITION_WRITE_MS = 200;
/**
 * The inbox feeds the pipeline for this long, then lets whatever arrived meanwhile in: short for a
 * live reading's wait, long enough that the history lane gets batches of thousands, not of one message.
 */
const FEED_SLICE_MS = 4;

/**
 * Where a message's first timestamp is, in a native v1 payload: `"ts": 1735689600000` or `"ts": "2025-..."`.
 * Looked for in the first bytes only; the message is parsed in full later.
 */
const FIRST_TS = /"ts"\s*:\s*(?:(-?\d{1,16})\b|"([^"\\]{1,40})")/;

/**
 * Whether a native v1 message is history (a gateway catching up, a back-fill): its first timestamp
 * is late. Cheap on purpose: it runs for every message before anything else. A message it takes
 * for history that holds recent readings loses only time, not readings.
 */
export function looksLikeHistory(payload: Buffer, receivedAt: number): boolean {
  const match = FIRST_TS.exec(payload.subarray(0, 512).toString('latin1'));
  if (!match) return false;
  const ts = match[1] !== undefined ? Number(match[1]) : Date.parse(match[2]);
  return Number.isFinite(ts) && receivedAt - ts > LATE_AFTER_MS;
}

/**
 * The history inbox (#19 item 2). The broker delivers one subscription's messages in order, so a
 * year of history published ahead of a live reading is delivered ahead of it, and a live reading
 * waits for all of it to be parsed. Messages that look like history are therefore only written to
 * this inbox (a write(2): durable, so acknowledged at once) as they arrive; the broker's queue
 * drains at the speed of the disk, and live messages behind it are handled at once. The inbox feeds
 * the pipeline in slices of a few milliseconds, letting whatever arrived meanwhile go first, and only while
 * the writer has room for history. What waits is read back from the inbox's files a few messages at
 * a time: a year of history waiting costs disk, not memory (nor the garbage collector's time, which
 * live readings would wait for).
 */
export class HistoryInbox {
  private readonly logger = new Logger(HistoryInbox.name);
  private readonly spool: DiskSpool<InboxRecord>;
  private readonly positionFile: string;
  private readonly lag = new EventLoopLag(LIVE_WAITS_AFTER_MS);
  private reader?: SpoolReader<InboxRecord>;
  /**
   * The message read back from disk and not yet fed. One at a time: what waits stays on disk, and a
   * gateway's message may hold thousands of readings, so reading ahead would be work done at once.
   */
  private next?: Spooled<InboxRecord>;
  private heldAcks: Array<() => void> = [];
  private feeding?: Promise<void>;
  private fedSeq = 0;
  private positionWrittenAt = 0;
  private stopped = false;
  private opened = false;
  /** Resolves when stop() is called: a message in hand that the writer no longer takes is not waited for. */
  private readonly stopping: Promise<void>;
  private signalStop!: () => void;

  constructor(
    dir: string,
    maxBytes: number,
    segmentBytes: number,
    /** Hands a message to the pipeline; `taken` is called once it is spooled in the writer. */
    private readonly feed: (message: ReceivedMessage, taken: () => void) => void,
    private readonly writer: {
      /** Resolves when the writer has room for more history. */
      room: () => Promise<void>;
      /** True while the writer holds less than a batch of history: it is fed before anything else gets a turn. */
      hungry: () => boolean;
    },
  ) {
    this.spool = new DiskSpool(dir, maxBytes, segmentBytes);
    this.stopping = new Promise((resolve) => (this.signalStop = resolve));
    this.positionFile = join(dir, 'fed');
  }

  get waiting(): { messages: number; bytes: number } {
    return { messages: this.opened ? this.spool.lastSeq - this.fedSeq : 0, bytes: this.spool.bytes };
  }

  /** Opens the inbox and feeds what it holds beyond what was fed before the last stop. */
  open(): void {
    // What waits is read back one message at a time by the reader, not all at once here.
    this.spool.open({ read: false });
    this.opened = true;
    this.fedSeq = existsSync(this.positionFile) ? Number(readFileSync(this.positionFile, 'utf8')) || 0 : 0;
    this.reader = new SpoolReader(this.spool, this.fedSeq);
    this.lag.start();
    const unfed = this.spool.lastSeq - this.fedSeq;
    if (unfed > 0) this.logger.warn(`history inbox: feeding ${unfed} message(s) received before the last stop`);
    this.startFeeding();
  }

  /** Takes the message when it looks like history (and acknowledges it once durable); false leaves it to the caller. */
  offer(message: ReceivedMessage, ack: () => void): boolean {
    if (this.stopped || !looksLikeHistory(message.payload, message.receivedAt)) return false;
    this.spool.append({
      source: message.source,
      topic: message.topic,
      payload: message.payload.toString('base64'),
      receivedAt: message.receivedAt,
    });
    if (this.spool.full) this.heldAcks.push(ack);
    else ack();
    this.startFeeding();
    return true;
  }

  /** Stops feeding after the message in hand; the rest stays in the inbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    this.lag.stop();
    await this.feeding;
    if (!this.opened) return;
    this.writePosition();
    this.reader?.close();
    this.spool.close();
  }

  private startFeeding(): void {
    this.feeding ??= this.feedAll().finally(() => (this.feeding = undefined));
  }

  private async feedAll(): Promise<void> {
    let sliceStart = Date.now();
    while (!this.stopped && this.nextRecord()) {
      // A whole database transaction may run between two turns (on the embedded database it holds
      // the thread): a lane that would otherwise get one slice's worth a transaction is filled first.
      if (Date.now() - sliceStart >= FEED_SLICE_MS && !this.writer.hungry()) {
        // Whatever arrived meanwhile (a live reading) goes first; while the loop runs late, all of it.
        await new Promise((resolve) => setImmediate(resolve));
        while (this.lag.late && !this.stopped) await Promise.race([this.lag.nextProbe(), this.stopping]);
        sliceStart = Date.now();
      }
      await Promise.race([this.writer.room(), this.stopping]);
      if (this.stopped) return;
      const next = this.next!;
      let taken = false;
      const message = fromRecord(next.body);
      await Promise.race([new Promise<void>((resolve) => this.feed(message, resolve)).then(() => (taken = true)), this.stopping]);
      // Not taken: the writer stopped first; the message stays in the inbox for the next start.
      if (!taken) return;
      this.next = undefined;
      this.fedSeq = next.seq;
      if (Date.now() - this.positionWrittenAt >= POSITION_WRITE_MS) this.writePosition();
      while (this.heldAcks.length > 0 && !this.spool.full) this.heldAcks.shift()!();
    }
    this.writePosition();
  }

  /** Whether a message waits to be fed (read from disk when none is in hand). */
  private nextRecord(): boolean {
    this.next ??= this.reader?.read(1)[0];
    return this.next !== undefined;
  }

  private writePosition(): void {
    writeFileSync(this.positionFile, String(this.fedSeq));
    this.positionWrittenAt = Date.now();
    this.spool.release(this.fedSeq);
  }
}

function fromRecord(record: InboxRecord): ReceivedMessage {
  return { source: record.source, topic: record.topic, payload: Buffer.from(record.payload, 'base64'), receivedAt: record.receivedAt };
}
