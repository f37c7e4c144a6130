import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '@hallwatch/config';
import { DomainError } from '@hallwatch/core';
import { DeadLetterRepository, StoredDeadLetter } from '@hallwatch/readings';

export interface ReplayResult {
  /** Stored: its readings are in the database and the letter is marked replayed. */
  replayed: string[];
  /** Refused again by ingest (the letter stays pending), with the reasons. */
  rejected: Array<{ id: string; detail?: string }>;
  /** Not finished by ingest within DEAD_LETTER_REPLAY_WAIT_MS (ingest away, say): it will be, and marked then. */
  pending: string[];
  skipped: Array<{ id: string; why: string }>;
}

const POLL_MS = 100;

/**
 * Replays dead letters after a fix (a point registered, a mapping corrected). The API does not
 * publish to the broker (the shipped ACL does not let Hallwatch publish telemetry): it files a
 * replay request in the database; ingest runs the kept message through its own pipeline and marks
 * the letter replayed in the transaction that stores its readings. A message still refused is
 * reported with its reasons and stays pending.
 */
@Injectable()
export class DeadLetterReplay {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly config: AppConfig,
  ) {}

  async replay(filter: { id?: string; reason?: string; limit: number }): Promise<ReplayResult> {
    const { letters } = await this.deadLetters.list({ ...filter, pending: true });
    if (filter.id && letters.length === 0) throw new DomainError('not-found', `no pending dead letter ${filter.id}`);
    const result: ReplayResult = { replayed: [], rejected: [], pending: [], skipped: [] };
    const replayable: string[] = [];
    for (const letter of letters.reverse()) {
      const why = unreplayable(letter);
      if (why) result.skipped.push({ id: letter.id, why });
      else replayable.push(letter.id);
    }
    if (replayable.length === 0) return result;
    const requests = await this.deadLetters.requestReplays(replayable);
    const requestIds = [...requests.values()];
    const deadline = Date.now() + this.config.get('DEAD_LETTER_REPLAY_WAIT_MS');
    for (;;) {
      const outcomes = await this.deadLetters.replayOutcomes(requestIds);
      const finished = outcomes.filter((entry) => entry.outcome);
      if (finished.length === requestIds.length || Date.now() >= deadline) {
        const byLetter = new Map(outcomes.map((entry) => [entry.deadLetterId, entry]));
        for (const id of replayable) {
          const outcome = byLetter.get(id);
          if (outcome?.outcome === 'stored') result.replayed.push(id);
          else if (outcome?.outcome === 'rejected') result.rejected.push({ id, detail: outcome.detail });
          else result.pending.push(id);
        }
        return result;
      }
      await sleep(POLL_MS);
    }
  }
}

function unreplayable(letter: StoredDeadLetter): string | undefined {
  if (!letter.source.startsWith('mqtt:')) return 'only native MQTT messages can be replayed';
  if (!letter.topic) return 'no topic kept';
  if (letter.payloadTruncated || letter.reason === 'payload-too-large') return 'the payload was kept only in part';
  return undefined;
}
