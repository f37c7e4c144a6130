import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '@hallwatch/config';
import { DeadLetterRepository, ReplayRequest } from '@hallwatch/readings';
import { IngestPipeline, ReceivedMessage } from './ingest-pipeline.service';
import { nativeParseLimits } from './mqtt-native.source';
import { parseNativeV1 } from './native-v1.parser';
import { ParseLimits } from './parse-result';

const POLL_MS = 500;
const CLAIM_BATCH = 500;

/**
 * Carries out the dead-letter replays the API files (dead_letter_replays): each kept message goes
 * through the pipeline as if it had just arrived, at its original receive time, and the store
 * marks its letter replayed only in the transaction that stores its readings. Nothing goes through
 * the broker, so the broker's ACL does not matter.
 */
@Injectable()
export class ReplayIntake implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplayIntake.name);
  private readonly limits: ParseLimits;
  private readonly stopped = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly pipeline: IngestPipeline,
    config: AppConfig,
  ) {
    this.limits = nativeParseLimits(config);
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      try {
        const requests = await this.deadLetters.claimReplays(CLAIM_BATCH);
        for (const request of requests) this.replay(request);
        if (requests.length === CLAIM_BATCH) continue;
      } catch (error) {
        this.logger.warn({ err: error }, 'could not claim dead-letter replays; trying again');
      }
      await sleep(POLL_MS, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }

  private replay({ requestId, letter }: ReplayRequest): void {
    const message: ReceivedMessage = {
      source: letter.source,
      topic: letter.topic ?? '',
      payload: letter.payload.startsWith('base64:')
        ? Buffer.from(letter.payload.slice('base64:'.length), 'base64')
        : Buffer.from(letter.payload, 'utf8'),
      // A native message without `ts` is stamped with its receive time: the original one.
      receivedAt: letter.receivedAt,
    };
    // The claim is the acknowledgement: should this instance stop before spooling, the claim expires and another takes it.
    this.pipeline.accept(
      message,
      (received) => parseNativeV1(received.topic, received.payload, received.receivedAt, this.limits),
      () => undefined,
      { requestId, deadLetterId: letter.id },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped.abort();
    await this.loop;
  }
}
