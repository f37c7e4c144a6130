import { Injectable } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { Database, Queryable } from '@hallwatch/db';
import { DeadLetterGroup, groupRepeats, keptPayload, withinCap } from './dead-letter-bounds';

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
  /** Size and SHA-256 of the message as received, when `payload` already holds only its beginning. */
  whole?: { bytes: number; sha256: string };
}

export interface StoredDeadLetter extends DeadLetter {
  id: string;
  /** Repeats of the same source, reason and topic within the window, this one included. */
  count: number;
  lastReceivedAt: number;
  /** Size and SHA-256 of the whole body; `payload` holds at most DEAD_LETTER_MAX_PAYLOAD_BYTES of it. */
  payloadBytes: number;
  payloadSha256?: string;
  payloadTruncated: boolean;
  replayedAt?: number;
}

/** Where a listing stopped: the last letter's receive time (microseconds since the epoch) and id. */
export interface DeadLetterPosition {
  receivedUs: string;
  id: string;
}

/** A letter ingest is asked to run through its pipeline again (dead_letter_replays). */
export interface ReplayRequest {
  requestId: string;
  letter: Pick<StoredDeadLetter, 'id' | 'source' | 'topic' | 'payload' | 'receivedAt' | 'payloadTruncated'>;
}

export interface ReplayOutcome {
  requestId: string;
  deadLetterId: string;
  outcome?: 'stored' | 'rejected';
  detail?: string;
}

/** A unit of ingest that replays a dead letter: stored, the letter is marked replayed in the same transaction. */
export interface ReplayOf {
  requestId: string;
  deadLetterId: string;
}

/** A claimed replay not finished after this long (its ingest instance died before spooling it) is claimed again. */
const REPLAY_CLAIM_EXPIRES_MS = 60_000;

/**
 * Dead letters, bounded: repeats share a row with a count, bodies are kept up to a size, rows per
 * source and reason are capped (the rest counted in dead_letter_overflow), old rows expire.
 * The exact count of every rejection is the ingest ledger's (rejected:{reason}).
 */
@Injectable()
export class DeadLetterRepository {
  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  async insertMany(letters: readonly DeadLetter[], tx: Queryable = this.db): Promise<void> {
    if (letters.length === 0) return;
    const groups = groupRepeats(letters, this.config.get('DEAD_LETTER_WINDOW_SECONDS') * 1000);
    const pairs = uniquePairs(groups);
    // Locks the pairs' overflow rows (in one order): concurrent instances take turns, so the cap holds.
    await tx.query(
      `insert into dead_letter_overflow (source, reason)
       select * from unnest($1::text[], $2::text[]) order by 1, 2
       on conflict (source, reason) do update set source = excluded.source`,
      [pairs.map((pair) => pair.source), pairs.map((pair) => pair.reason)],
    );
    const merged = await tx.query<{ i: number }>(
      `update dead_letters d set count = d.count + g.count, last_received_at = greatest(d.last_received_at, g.last_at)
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::timestamptz[])
         as g (i, source, reason, topic, window_start, count, last_at)
       where d.source = g.source and d.reason = g.reason and d.topic is not distinct from g.topic
         and d.window_start = g.window_start and d.replayed_at is null
       returning g.i`,
      [
        groups.map((_, index) => index),
        groups.map((group) => group.source),
        groups.map((group) => group.reason),
        groups.map((group) => group.topic ?? null),
        groups.map((group) => new Date(group.windowStart)),
        groups.map((group) => group.count),
        groups.map((group) => new Date(group.lastReceivedAt)),
      ],
    );
    const mergedIndexes = new Set(merged.map((row) => row.i));
    const fresh = groups.filter((_, index) => !mergedIndexes.has(index));
    if (fresh.length === 0) return;
    const rows = await tx.query<{ source: string; reason: string; n: number }>(
      `select source, reason, count(*)::int as n from dead_letters
       where (source, reason) in (select * from unnest($1::text[], $2::text[])) group by source, reason`,
      [pairs.map((pair) => pair.source), pairs.map((pair) => pair.reason)],
    );
    const cap = this.config.get('DEAD_LETTER_CAP');
    const { kept, overflow } = withinCap(
      fresh,
      (source, reason) => cap - (rows.find((row) => row.source === source && row.reason === reason)?.n ?? 0),
    );
    await this.insertGroups(kept, tx);
    if (overflow.length > 0) {
      await tx.query(
        `update dead_letter_overflow o set count = o.count + g.count, last_at = now()
         from unnest($1::text[], $2::text[], $3::bigint[]) as g (source, reason, count)
         where o.source = g.source and o.reason = g.reason`,
        [overflow.map((entry) => entry.source), overflow.map((entry) => entry.reason), overflow.map((entry) => entry.count)],
      );
    }
  }

  private async insertGroups(groups: readonly DeadLetterGroup[], tx: Queryable): Promise<void> {
    if (groups.length === 0) return;
    const maxBytes = this.config.get('DEAD_LETTER_MAX_PAYLOAD_BYTES');
    const bodies = groups.map(({ first }) => {
      const kept = keptPayload(first.payload, maxBytes);
      return first.whole ? { ...kept, bytes: first.whole.bytes, sha256: first.whole.sha256, truncated: true } : kept;
    });
    await tx.query(
      `insert into dead_letters (received_at, last_received_at, window_start, count, source, topic, reason, detail,
         payload, payload_bytes, payload_sha256, payload_truncated)
       select * from unnest($1::timestamptz[], $2::timestamptz[], $3::timestamptz[], $4::bigint[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::boolean[])`,
      [
        groups.map((group) => new Date(group.first.receivedAt)),
        groups.map((group) => new Date(group.lastReceivedAt)),
        groups.map((group) => new Date(group.windowStart)),
        groups.map((group) => group.count),
        groups.map((group) => group.source),
        groups.map((group) => group.topic ?? null),
        groups.map((group) => group.reason),
        groups.map((group) => (group.first.detail === undefined ? null : keptPayload(group.first.detail, maxBytes).payload)),
        bodies.map((body) => body.payload),
        bodies.map((body) => body.bytes),
        bodies.map((body) => body.sha256),
        bodies.map((body) => body.truncated),
      ],
    );
  }

  /** Newest first (by receive time, then id, both as numbers); `after` continues a listing. */
  async list(filter: {
    reason?: string;
    id?: string;
    pending?: boolean;
    after?: DeadLetterPosition;
    limit: number;
  }): Promise<{ letters: StoredDeadLetter[]; next?: DeadLetterPosition }> {
    const rows = await this.db.query<{
      id: string;
      received_us: string;
      received_at: Date;
      last_received_at: Date;
      count: string;
      source: string;
      topic: string | null;
      payload: string;
      payload_bytes: number;
      payload_sha256: string | null;
      payload_truncated: boolean;
      reason: RejectReason;
      detail: string | null;
      replayed_at: Date | null;
    }>(
      `select d.id::text, (extract(epoch from d.received_at) * 1000000)::bigint::text as received_us, d.received_at,
         d.last_received_at, d.count::text, d.source, d.topic, d.payload, d.payload_bytes, d.payload_sha256,
         d.payload_truncated, d.reason, d.detail, d.replayed_at
       from dead_letters d
       where ($1::text is null or d.reason = $1) and ($2::bigint is null or d.id = $2) and (not $3 or d.replayed_at is null)
         and ($4::bigint is null or (d.received_at, d.id) < (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5::bigint))
       order by d.received_at desc, d.id desc
       limit $6`,
      [
        filter.reason ?? null,
        filter.id ?? null,
        filter.pending ?? false,
        filter.after?.receivedUs ?? null,
        filter.after?.id ?? null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return {
      letters: page.map((row) => ({
        id: row.id,
        receivedAt: row.received_at.getTime(),
        lastReceivedAt: row.last_received_at.getTime(),
        count: Number(row.count),
        source: row.source,
        topic: row.topic ?? undefined,
        payload: row.payload,
        payloadBytes: row.payload_bytes,
        payloadSha256: row.payload_sha256 ?? undefined,
        payloadTruncated: row.payload_truncated,
        reason: row.reason,
        detail: row.detail ?? undefined,
        replayedAt: row.replayed_at?.getTime(),
      })),
      next: rows.length > filter.limit && last ? { receivedUs: last.received_us, id: last.id } : undefined,
    };
  }

  /** Per source and reason: rows kept, rejections they stand for, and rejections only counted (over the cap). */
  async summary(): Promise<Array<{ source: string; reason: string; rows: number; kept: number; notKept: number }>> {
    return this.db.query(
      `select coalesce(k.source, o.source) as source, coalesce(k.reason, o.reason) as reason,
         coalesce(k.rows, 0)::float8 as rows, coalesce(k.kept, 0)::float8 as kept, coalesce(o.count, 0)::float8 as "notKept"
       from (select source, reason, count(*) as rows, sum(count) as kept from dead_letters group by source, reason) k
       full join dead_letter_overflow o on o.source = k.source and o.reason = k.reason
       order by 1, 2`,
    );
  }

  /** Deletes the letters last seen before `cutoff`; returns how many. */
  async expire(cutoff: Date): Promise<number> {
    const rows = await this.db.query('delete from dead_letters where last_received_at < $1 returning 1', [cutoff]);
    return rows.length;
  }

  /** Asks ingest to replay these letters; a letter with an open request keeps it. Returns the request per letter. */
  async requestReplays(letterIds: readonly string[]): Promise<Map<string, string>> {
    await this.db.query(
      `insert into dead_letter_replays (dead_letter_id) select unnest($1::bigint[])
       on conflict (dead_letter_id) where finished_at is null do nothing`,
      [letterIds],
    );
    const rows = await this.db.query<{ id: string; dead_letter_id: string }>(
      `select distinct on (dead_letter_id) id::text, dead_letter_id::text from dead_letter_replays
       where dead_letter_id = any($1::bigint[]) order by dead_letter_id, id desc`,
      [letterIds],
    );
    return new Map(rows.map((row) => [row.dead_letter_id, row.id]));
  }

  async replayOutcomes(requestIds: readonly string[]): Promise<ReplayOutcome[]> {
    const rows = await this.db.query<{ id: string; dead_letter_id: string; outcome: 'stored' | 'rejected' | null; detail: string | null }>(
      'select id::text, dead_letter_id::text, outcome, detail from dead_letter_replays where id = any($1::bigint[])',
      [requestIds],
    );
    return rows.map((row) => ({
      requestId: row.id,
      deadLetterId: row.dead_letter_id,
      outcome: row.outcome ?? undefined,
      detail: row.detail ?? undefined,
    }));
  }

  /** Claims open replay requests for one ingest instance (others skip them). */
  async claimReplays(limit: number): Promise<ReplayRequest[]> {
    const rows = await this.db.query<{
      id: string;
      letter_id: string;
      source: string;
      topic: string | null;
      payload: string;
      received_at: Date;
      payload_truncated: boolean;
    }>(
      `with claimable as (
         select id from dead_letter_replays
         where finished_at is null and (claimed_at is null or claimed_at < now() - $2::int * interval '1 millisecond')
         order by id limit $1 for update skip locked)
       update dead_letter_replays r set claimed_at = now()
       from claimable c, dead_letters d
       where r.id = c.id and d.id = r.dead_letter_id
       returning r.id::text, d.id::text as letter_id, d.source, d.topic, d.payload, d.received_at, d.payload_truncated`,
      [limit, REPLAY_CLAIM_EXPIRES_MS],
    );
    return rows.map((row) => ({
      requestId: row.id,
      letter: {
        id: row.letter_id,
        source: row.source,
        topic: row.topic ?? undefined,
        payload: row.payload,
        receivedAt: row.received_at.getTime(),
        payloadTruncated: row.payload_truncated,
      },
    }));
  }

  /**
   * Records what a replay became, in the transaction that stored its readings: `stored` marks the
   * letter replayed; `rejected` leaves it pending (the reasons in detail).
   */
  async finishReplays(
    finished: ReadonlyArray<ReplayOf & { outcome: 'stored' | 'rejected'; detail?: string }>,
    tx: Queryable = this.db,
  ): Promise<void> {
    if (finished.length === 0) return;
    await tx.query(
      `update dead_letter_replays r set finished_at = now(), outcome = g.outcome, detail = g.detail
       from unnest($1::bigint[], $2::text[], $3::text[]) as g (id, outcome, detail)
       where r.id = g.id and r.finished_at is null`,
      [finished.map((entry) => entry.requestId), finished.map((entry) => entry.outcome), finished.map((entry) => entry.detail ?? null)],
    );
    const stored = finished.filter((entry) => entry.outcome === 'stored').map((entry) => entry.deadLetterId);
    if (stored.length > 0) {
      await tx.query('update dead_letters set replayed_at = now() where id = any($1::bigint[]) and replayed_at is null', [stored]);
    }
  }
}

function uniquePairs(groups: readonly DeadLetterGroup[]): Array<{ source: string; reason: string }> {
  const pairs = new Map(groups.map((group) => [JSON.stringify([group.source, group.reason]), { source: group.source, reason: group.reason }]));
  return [...pairs.values()];
}
