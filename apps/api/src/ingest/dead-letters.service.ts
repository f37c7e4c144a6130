import { Injectable } from '@nestjs/common';
import { DeadLetterPosition, DeadLetterRepository, IngestStore } from '@hallwatch/readings';
import { isoTime } from '../iso-time';
import { encodeCursor } from './dead-letter-cursor';

export interface LedgerSource {
  source: string;
  lastSeen: string;
  /** By outcome, as the ingest ledger counts them. */
  counts: Record<string, number>;
}

/** What ingest refused (the dead letters) and the loss ledger that counts every reading it received. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly store: IngestStore,
  ) {}

  /** A page of dead letters, newest first, with ISO 8601 times, and the cursor of the next page. */
  async page(filter: { reason?: string; limit: number; after?: DeadLetterPosition }) {
    const { letters, next } = await this.deadLetters.list(filter);
    const items = letters.map((letter) => ({
      ...letter,
      receivedAt: isoTime(letter.receivedAt),
      lastReceivedAt: isoTime(letter.lastReceivedAt),
      replayedAt: letter.replayedAt === undefined ? undefined : isoTime(letter.replayedAt),
    }));
    return { items, next: next ? encodeCursor(next) : null };
  }

  summary() {
    return this.deadLetters.summary();
  }

  /** The ledger's rows grouped by source: one entry a source with its counts by outcome and the last time it was seen. */
  async ledger(): Promise<LedgerSource[]> {
    const bySource = new Map<string, LedgerSource>();
    for (const row of await this.store.ledger()) {
      const lastAt = row.lastAt.toISOString();
      const entry = bySource.get(row.source) ?? { source: row.source, lastSeen: lastAt, counts: {} };
      entry.counts[row.outcome] = row.count;
      if (lastAt > entry.lastSeen) entry.lastSeen = lastAt;
      bySource.set(row.source, entry);
    }
    return [...bySource.values()];
  }
}
