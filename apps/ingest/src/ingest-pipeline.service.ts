import { Injectable } from '@nestjs/common';
import { DeadLetter } from '@hallwatch/readings';
import { BatchWriter } from './batch-writer.service';
import { IngestMetrics } from './ingest.metrics';
import { ParseResult, Rejection } from './parse-result';
import { PointDirectory } from './point-directory.service';

export interface ReceivedMessage {
  /** The ledger's name for where it came from: `mqtt:hallwatch/v1`, `sparkplug:...`, `opcua:...` */
  source: string;
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

/**
 * Every source's messages go the same way: parse (the source's format) -> map to points -> batch
 * writer; every rejection counted and kept as a dead letter.
 */
@Injectable()
export class IngestPipeline {
  /** Messages are parsed and mapped in arrival order, so their writes (and acknowledgements) keep it. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: PointDirectory,
    private readonly writer: BatchWriter,
    private readonly metrics: IngestMetrics,
  ) {}

  accept(message: ReceivedMessage, parse: (message: ReceivedMessage) => ParseResult, ack: () => void): void {
    this.tail = this.tail.then(() => this.process(message, parse, ack));
  }

  private async process(message: ReceivedMessage, parse: (message: ReceivedMessage) => ParseResult, ack: () => void): Promise<void> {
    this.metrics.received(message.source);
    const parsed = parse(message);
    const derived = this.directory.derived.derive(parsed.readings);
    const { resolved, rejections } = await this.directory.resolve([...parsed.readings, ...derived]);
    const deadLetters = [...parsed.rejections, ...rejections].map((rejection) => this.deadLetter(message, rejection));
    this.writer.enqueue(
      {
        source: message.source,
        receivedAt: message.receivedAt,
        readings: resolved.map(({ pointId, ts, value, flags }) => ({ pointId, ts, value, flags })),
        deadLetters,
      },
      ack,
    );
  }

  private deadLetter(message: ReceivedMessage, rejection: Rejection): DeadLetter {
    return {
      source: message.source,
      topic: message.topic,
      // Binary formats (Sparkplug) are kept as base64; a payload too large to keep whole is kept in part.
      payload: isText(message.payload)
        ? message.payload.subarray(0, 64 * 1024).toString('utf8')
        : `base64:${message.payload.subarray(0, 48 * 1024).toString('base64')}`,
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
