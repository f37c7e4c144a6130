import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { DeadLetterRepository } from './dead-letter.repository';
import { LedgerEntry, LedgerUnit, ledgerEntries } from './ingest-ledger';
import { ReadingRepository } from './reading.repository';

/** What a stored batch became: the readings new to the store, and the ledger counts it added. */
export interface StoredBatch {
  stored: Reading[];
  ledger: LedgerEntry[];
}

export interface SpoolCommit {
  instance: string;
  epoch: string;
  seq: number;
}

/**
 * What ingest writes, in one transaction: the readings (with their rollups), the dead letters,
 * and the ledger counts of both. Either all of it is stored or none, so a retried batch counts once.
 */
@Injectable()
export class IngestStore {
  constructor(
    private readonly db: Database,
    private readonly readings: ReadingRepository,
    private readonly deadLetters: DeadLetterRepository,
  ) {}

  /**
   * `commit` records how far an instance's spool (of its epoch) is stored, atomically with the
   * batch. A commit of a new epoch replaces the old one's: its sequence numbers start again.
   */
  async store(units: readonly LedgerUnit[], commit?: SpoolCommit): Promise<StoredBatch> {
    return this.db.transaction(async (tx) => {
      if (commit) {
        await tx.query(
          `insert into ingest_spool_commits (instance, epoch, seq) values ($1, $2, $3)
           on conflict (instance) do update
             set seq = case when ingest_spool_commits.epoch = excluded.epoch then greatest(ingest_spool_commits.seq, excluded.seq) else excluded.seq end,
                 epoch = excluded.epoch`,
          [commit.instance, commit.epoch, commit.seq],
        );
      }
      await this.deadLetters.insertMany(
        units.flatMap((unit) => (unit.replay ? [] : unit.deadLetters)),
        tx,
      );
      const stored = await this.readings.insertWithin(
        tx,
        units.flatMap((unit) => unit.readings),
      );
      // Sorted, like the readings: concurrent instances update the ledger's rows in one order.
      const entries = ledgerEntries(units, new Set(stored.map((reading) => `${reading.pointId}:${reading.ts}`))).sort(
        (a, b) => a.source.localeCompare(b.source) || a.outcome.localeCompare(b.outcome),
      );
      await addLedgerCounts(tx, entries);
      // A replayed letter is marked replayed only here, with its readings stored; refused again, it stays pending.
      await this.deadLetters.finishReplays(
        units.flatMap((unit) => (unit.replay ? [{ ...unit.replay, ...replayOutcome(unit) }] : [])),
        tx,
      );
      return { stored, ledger: entries };
    });
  }

  /** How far the instance's spool of `epoch` is stored, and the epoch the marker holds (null: none yet). */
  async committed(instance: string, epoch: string): Promise<{ seq: number; markerEpoch: string | null }> {
    const [row] = await this.db.query<{ seq: number; epoch: string }>(
      'select seq::float8 as seq, epoch from ingest_spool_commits where instance = $1',
      [instance],
    );
    if (!row) return { seq: 0, markerEpoch: null };
    return { seq: row.epoch === epoch ? row.seq : 0, markerEpoch: row.epoch };
  }

  async ledger(): Promise<Array<{ source: string; outcome: string; count: number; lastAt: Date }>> {
    return this.db.query(`select source, outcome, count::float8 as count, last_at as "lastAt" from ingest_ledger order by source, outcome`);
  }
}

/**
 * Adds to the ledger's counts in the caller's transaction, so they are stored with what they count
 * or not at all. Callers sort the entries (source, then outcome): concurrent writers then update the
 * ledger's rows in one order.
 */
export async function addLedgerCounts(tx: Queryable, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into ingest_ledger (source, outcome, count)
     select * from unnest($1::text[], $2::text[], $3::bigint[])
     on conflict (source, outcome) do update set count = ingest_ledger.count + excluded.count, last_at = now()`,
    [entries.map((entry) => entry.source), entries.map((entry) => entry.outcome), entries.map((entry) => entry.count)],
  );
}

function replayOutcome(unit: LedgerUnit): { outcome: 'stored' | 'rejected'; detail?: string } {
  if (unit.deadLetters.length === 0) return { outcome: 'stored' };
  const reasons = unit.deadLetters.map((letter) => (letter.detail ? `${letter.reason}: ${letter.detail}` : letter.reason));
  return { outcome: 'rejected', detail: [...new Set(reasons)].join('; ').slice(0, 2000) };
}
