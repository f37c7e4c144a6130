import { Injectable } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { DeadLetter } from '@hallwatch/readings';
import { BatchWriter } from './batch-writer.service';
import { IngestMetrics } from './ingest.metrics';
import { parseNativeV1, Rejection } from './native-v1.parser';
import { PointDirectory } from './point-directory.service';

export interface ReceivedMessage {
  source: string;
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

/** validate -> map to points -> hand to the batch writer; every rejection counted and kept. */
@Injectable()
export class IngestPipeline {
  /** Messages are mapped in arrival order, so their writes (and acknowledgements) keep it. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: PointDirectory,
    private readonly writer: BatchWriter,
    private readonly metrics: IngestMetrics,
    private readonly config: AppConfig,
  ) {}

  acceptNative(message: ReceivedMessage, ack: () => void): void {
    this.tail = this.tail.then(() => this.process(message, ack));
  }

  private async process(message: ReceivedMessage, ack: () => void): Promise<void> {
    this.metrics.received(message.source);
    const parsed = parseNativeV1(message.topic, message.payload, message.receivedAt, {
      topicPrefix: this.config.get('MQTT_TOPIC_PREFIX'),
      maxPayloadBytes: this.config.get('INGEST_MAX_PAYLOAD_BYTES'),
      maxFutureMs: this.config.get('INGEST_MAX_FUTURE_SECONDS') * 1000,
      maxAgeMs: this.config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
    });
    const { resolved, rejections } = await this.directory.resolve(parsed.readings);
    const deadLetters = [...parsed.rejections, ...rejections].map((rejection) => this.deadLetter(message, rejection));
    this.writer.enqueue({
      source: message.source,
      readings: resolved.map(({ pointId, ts, value, flags }) => ({ pointId, ts, value, flags })),
      deadLetters,
      ack,
    });
  }

  private deadLetter(message: ReceivedMessage, rejection: Rejection): DeadLetter {
    this.metrics.reject(message.source, rejection.reason);
    return {
      source: message.source,
      topic: message.topic,
      // A payload too large to keep whole is kept in part: the reason says why it was refused.
      payload: message.payload.subarray(0, 64 * 1024).toString('utf8'),
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
