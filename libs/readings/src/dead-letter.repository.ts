import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';

/** Why ingest did not accept something. One spelling per reason: metrics and the API use these. */
export const REJECT_REASONS = [
  'bad-topic',
  'payload-too-large',
  // nested deeper than a parser goes (checked before parsing: deep nesting crashed ingest)
  'too-deep',
  // an object key longer than any point key needs to be
  'key-too-long',
  'bad-json',
  'bad-shape',
  'bad-timestamp',
  'timestamp-out-of-range',
  // older than the point's raw retention horizon: its rollups are final (docs/rollups.md)
  'older-than-retention',
  'bad-value',
  'unknown-site',
  'unknown-asset',
  'unknown-point',
  // Sparkplug B
  'bad-protobuf',
  'unknown-alias',
  // the database refused a reading the parsers let through (kept rather than retried forever)
  'storage-refused',
  // the point lookup kept failing (the registry database away), or failed for a reason retrying cannot fix
  'lookup-failed',
  // handling the message threw: a bug, kept with its error rather than stopping ingest
  'internal-error',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface DeadLetter {
  /** MQTT client or topic prefix, OPC UA endpoint... */
  source: string;
  topic?: string;
  payload: string;
  reason: RejectReason;
  detail?: string;
  receivedAt: number;
}

export interface StoredDeadLetter extends DeadLetter {
  id: string;
  replayedAt?: number;
}

@Injectable()
export class DeadLetterRepository {
  constructor(private readonly db: Database) {}

  async insertMany(letters: readonly DeadLetter[], tx: Queryable = this.db): Promise<void> {
    if (letters.length === 0) return;
    await tx.query(
      `insert into dead_letters (received_at, source, topic, payload, reason, detail)
       select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        letters.map((letter) => new Date(letter.receivedAt)),
        letters.map((letter) => letter.source),
        letters.map((letter) => letter.topic ?? null),
        letters.map((letter) => letter.payload),
        letters.map((letter) => letter.reason),
        letters.map((letter) => letter.detail ?? null),
      ],
    );
  }

  async list(filter: { reason?: string; id?: string; pending?: boolean; limit: number }): Promise<StoredDeadLetter[]> {
    const rows = await this.db.query<{
      id: string;
      received_at: Date;
      source: string;
      topic: string | null;
      payload: string;
      reason: RejectReason;
      detail: string | null;
      replayed_at: Date | null;
    }>(
      `select id::text, received_at, source, topic, payload, reason, detail, replayed_at from dead_letters
       where ($1::text is null or reason = $1) and ($2::bigint is null or id = $2) and (not $3 or replayed_at is null)
       order by id desc limit $4`,
      [filter.reason ?? null, filter.id ?? null, filter.pending ?? false, filter.limit],
    );
    return rows.map((row) => ({
      replayedAt: row.replayed_at?.getTime(),
      id: row.id,
      receivedAt: row.received_at.getTime(),
      source: row.source,
      topic: row.topic ?? undefined,
      payload: row.payload,
      reason: row.reason,
      detail: row.detail ?? undefined,
    }));
  }

  async markReplayed(ids: readonly string[]): Promise<void> {
    await this.db.query('update dead_letters set replayed_at = now() where id = any($1::bigint[])', [ids]);
  }
}
