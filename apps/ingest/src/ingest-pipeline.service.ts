import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DeadLetter, ReplayOf } from '@hallwatch/readings';
import { BatchWriter, IngestUnit } from './batch-writer.service';
import { clip } from '@hallwatch/core';
import { IngestMetrics } from './ingest.metrics';
import { ParsedReading, ParseResult, Rejection } from './parse-result';
import { PointDirectory } from './point-directory.service';

export interface ReceivedMessage {
  /** The ledger's name for where it came from: `mqtt:hallwatch/v1`, `sparkplug:...`, `opcua:...` */
  source: string;
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

/** Injection token for the waits between attempts of a failed point lookup (tests make them short). */
export const LOOKUP_RETRY_DELAYS_MS = 'INGEST_LOOKUP_RETRY_DELAYS_MS';
/** About 9 s in all: a database blip or restart passes; an outage dead-letters the message as lookup-failed. */
const DEFAULT_LOOKUP_RETRY_DELAYS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 5000];

type Lookup = Awaited<ReturnType<PointDirectory['resolve']>>;

/**
 * Every source's messages go the same way: parse (the source's format) -> map to points -> batch
 * writer; every rejection counted and kept as a dead letter. No message stops the others: one
 * whose handling throws, or whose point lookup keeps failing, becomes a dead letter with the
 * reason, is acknowledged, and the next one goes on.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  /** Messages are parsed and mapped in arrival order, so their writes (and acknowledgements) keep it. Never rejects. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: PointDirectory,
    private readonly writer: BatchWriter,
    private readonly metrics: IngestMetrics,
    @Optional() @Inject(LOOKUP_RETRY_DELAYS_MS) private readonly retryDelaysMs: readonly number[] = DEFAULT_LOOKUP_RETRY_DELAYS_MS,
  ) {}

  /** `replay` is set when the message is a dead letter replayed: storing it marks the letter replayed. */
  accept(message: ReceivedMessage, parse: (message: ReceivedMessage) => ParseResult, ack: () => void, replay?: ReplayOf): void {
    this.tail = this.tail
      .then(() => this.process(message, parse, ack, replay))
      // process() handles its own failures; this only keeps the chain (and the process) alive if that ever fails.
      .catch((error: unknown) => this.logger.error({ err: error, source: message.source, topic: message.topic }, 'message not handled'));
  }

  private async process(
    message: ReceivedMessage,
    parse: (message: ReceivedMessage) => ParseResult,
    ack: () => void,
    replay: ReplayOf | undefined,
  ): Promise<void> {
    this.metrics.received(message.source);
    const { readings, rejections } = await this.handle(message, parse);
    try {
      this.writer.enqueue(
        {
          source: message.source,
          receivedAt: message.receivedAt,
          readings: readings.map(({ pointId, ts, value, flags }) => ({ pointId, ts, value, flags })),
          deadLetters: rejections.map((rejection) => this.deadLetter(message, rejection)),
          ...(replay && { replay }),
        } satisfies IngestUnit,
        ack,
      );
    } catch (error) {
      // Not spooled, so not acknowledged: the broker delivers it again (to this process or the next).
      this.logger.error({ err: error, source: message.source, topic: message.topic }, 'could not spool a message; left unacknowledged');
    }
  }

  /** The message's readings with their points, and its rejections; never throws. */
  private async handle(
    message: ReceivedMessage,
    parse: (message: ReceivedMessage) => ParseResult,
  ): Promise<{ readings: Array<ParsedReading & { pointId: number }>; rejections: Rejection[] }> {
    let parsed: ParseResult;
    try {
      parsed = parse(message);
    } catch (error) {
      return { readings: [], rejections: [this.internalError(message, 'parsing', error)] };
    }
    // Derived points are not computed here: the refresh loop derives them from the stored readings.
    const lookup = await this.lookup(message, parsed.readings);
    if ('reason' in lookup) return { readings: [], rejections: [...parsed.rejections, lookup] };
    return { readings: lookup.resolved, rejections: [...parsed.rejections, ...lookup.rejections] };
  }

  /** `directory.resolve`, retried with backoff while it fails for a reason that may pass (the database away). */
  private async lookup(message: ReceivedMessage, readings: ParsedReading[]): Promise<Lookup | Rejection> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.directory.resolve(readings);
      } catch (error) {
        if (isProgrammingError(error)) return this.internalError(message, 'the point lookup', error);
        const delay = this.retryDelaysMs[attempt - 1];
        if (!mayPass(error) || delay === undefined) {
          this.logger.error({ err: error, source: message.source, topic: message.topic, attempts: attempt }, 'point lookup failed');
          const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
          return { reason: 'lookup-failed', detail: clip(`${describe(error)}${tries}`, 400) };
        }
        this.logger.warn({ err: error, source: message.source, attempt }, `point lookup failed, retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** A throw where none was expected: a bug. The dead letter and the log share an error id. */
  private internalError(message: ReceivedMessage, during: string, error: unknown): Rejection {
    const errorId = randomUUID();
    this.logger.error({ err: error, errorId, source: message.source, topic: message.topic }, `internal error in ${during}`);
    return { reason: 'internal-error', detail: clip(`${describe(error)} (in ${during}; errorId ${errorId})`, 400) };
  }

  private deadLetter(message: ReceivedMessage, rejection: Rejection): DeadLetter {
    const text = isText(message.payload);
    const keptBytes = text ? 64 * 1024 : 48 * 1024;
    return {
      source: message.source,
      topic: message.topic,
      // Binary formats (Sparkplug) are kept as base64; a payload too large to keep whole is kept in part.
      payload: text
        ? message.payload.subarray(0, keptBytes).toString('utf8')
        : `base64:${message.payload.subarray(0, keptBytes).toString('base64')}`,
      ...(message.payload.length > keptBytes && {
        whole: { bytes: message.payload.length, sha256: createHash('sha256').update(message.payload).digest('hex') },
      }),
      reason: rejection.reason,
      detail: rejection.detail,
      receivedAt: message.receivedAt,
    };
  }

  /** Resolves when every message received so far is stored. */
  async idle(): Promise<void> {
    await this.tail;
    await this.writer.flushed();
  }
}

function isText(payload: Buffer): boolean {
  return !payload.includes(0) && Buffer.from(payload.toString('utf8'), 'utf8').equals(payload);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return `thrown: ${String(error)}`;
  } catch {
    return 'thrown: (unprintable)';
  }
}

/** Errors of the code itself: the same input throws again, however often it is tried. */
function isProgrammingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/**
 * Whether trying again may help. A PostgreSQL error says so by its SQLSTATE class: a lost or refused
 * connection (08), a serialization failure or deadlock (40), too many connections or no memory
 * (53), a server shutting down or starting (57), a system error (58). Any other SQLSTATE is about
 * the request and fails again. Errors without one (ECONNREFUSED, a pool's connect timeout,
 * "Connection terminated unexpectedly") are the network: they may pass.
 */
function mayPass(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9][0-9A-Z]{4}$/.test(code)) return /^(08|40|53|57|58)/.test(code);
  return true;
}
