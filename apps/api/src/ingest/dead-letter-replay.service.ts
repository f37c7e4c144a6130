import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';
import { DomainError } from '@hallwatch/core';
import { connectMqtt } from '@hallwatch/mqtt';
import { DeadLetterRepository, StoredDeadLetter } from '@hallwatch/readings';

export interface ReplayResult {
  replayed: string[];
  skipped: Array<{ id: string; why: string }>;
}

/**
 * Replays dead letters after a fix (a point registered, a mapping corrected): the raw message is
 * published again to its topic, so it takes the normal path through ingest; a message that is
 * still wrong becomes a new dead letter. The old one is marked replayed, not deleted.
 */
@Injectable()
export class DeadLetterReplay implements OnApplicationShutdown {
  private client?: Promise<MqttClient>;

  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly config: AppConfig,
  ) {}

  async replay(filter: { id?: string; reason?: string; limit: number }): Promise<ReplayResult> {
    const letters = await this.deadLetters.list({ ...filter, pending: true });
    if (filter.id && letters.length === 0) throw new DomainError('not-found', `no pending dead letter ${filter.id}`);
    const result: ReplayResult = { replayed: [], skipped: [] };
    const client = await (this.client ??= connectMqtt(this.config, { clientId: `hallwatch-replay-${process.pid}` }));
    for (const letter of letters.reverse()) {
      const why = unreplayable(letter);
      if (why) {
        result.skipped.push({ id: letter.id, why });
        continue;
      }
      await client.publishAsync(letter.topic!, replayPayload(letter), { qos: 1 });
      result.replayed.push(letter.id);
    }
    await this.deadLetters.markReplayed(result.replayed);
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await (await this.client).endAsync();
  }
}

function unreplayable(letter: StoredDeadLetter): string | undefined {
  if (!letter.source.startsWith('mqtt:') && !letter.source.startsWith('sparkplug:')) return 'only MQTT messages can be replayed';
  if (!letter.topic) return 'no topic kept';
  if (letter.reason === 'payload-too-large') return 'the payload was kept only in part';
  return undefined;
}

/**
 * The message as it was received. A native message without `ts` was stamped with its receive
 * time; the replay carries that time explicitly, or it would be stamped with the replay's.
 */
function replayPayload(letter: StoredDeadLetter): Buffer {
  if (letter.payload.startsWith('base64:')) return Buffer.from(letter.payload.slice('base64:'.length), 'base64');
  if (letter.source.startsWith('mqtt:')) {
    try {
      const body = JSON.parse(letter.payload) as unknown;
      const stamp = (entry: unknown) =>
        typeof entry === 'object' && entry !== null && !Array.isArray(entry) && !('ts' in entry)
          ? { ts: letter.receivedAt, ...entry }
          : entry;
      return Buffer.from(JSON.stringify(Array.isArray(body) ? body.map(stamp) : stamp(body)));
    } catch {
      // Not JSON: replayed as it came, to be refused again for the same reason.
    }
  }
  return Buffer.from(letter.payload, 'utf8');
}
