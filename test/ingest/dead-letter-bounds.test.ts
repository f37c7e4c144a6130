import { createHash } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import { Database } from '@hallwatch/db';
import { DeadLetterRepository } from '@hallwatch/readings';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  startMosquitto,
  TestBroker,
  testSite,
} from '@hallwatch/testing';
import { RetentionService } from '../../apps/worker/src/housekeeping/retention.service';

const SITE = 'flooded-hall';
const CAP = 200;
const GARBAGE = 2000;
const UNKNOWN_TOPICS = 1500;

/**
 * Dead letters stay bounded under a flood (2,000 garbage messages once grew the database by 131 MB
 * in 20 s; 100 k unknown topics added 100 k rows), while every rejection is still counted exactly.
 */
describe('dead letters under a flood', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  let databaseUrl: string;
  let db: Database;
  // The suite's own broker, with the project's queue limits: the machine's default drops QoS 1 messages past 1,000 queued.
  let broker: TestBroker;

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const ledger = async () => {
    const { body } = await get<Array<{ source: string; counts: Record<string, number> }>>('/api/v1/ingest/ledger');
    return body.find((entry) => entry.source === `mqtt:${env.MQTT_TOPIC_PREFIX}`)?.counts ?? {};
  };

  beforeAll(async () => {
    broker = await startMosquitto();
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl, MQTT_URL: broker.url, DEAD_LETTER_CAP: String(CAP) });
    running = await startApp(StandaloneModule, env);
    db = running.app.get(Database);
    device = await connectAsync(broker.url, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
    await dropServerDatabase(databaseUrl);
    await broker?.stop();
  });

  it('lists newest first by receive time and id as numbers, and pages with a cursor', async () => {
    // 120 letters: ids 1..120 cross from two to three digits (sorted as text, "99" came before "120").
    const base = Date.now() - 3_600_000;
    const letters = Array.from({ length: 120 }, (_, index) => ({
      source: 'test:pages',
      topic: `pages/${index}`,
      payload: `{"n":${index}}`,
      reason: 'bad-shape' as const,
      detail: 'values missing',
      // Two letters share a receive time: the id orders them.
      receivedAt: base + (index === 61 ? 60 : index) * 1000,
    }));
    await running.app.get(DeadLetterRepository).insertMany(letters);
    type Page = { items: Array<{ id: string; receivedAt: string; topic: string }>; next: string | null };

    const { body: newest } = await get<Page>('/api/v1/ingest/dead-letters?reason=bad-shape&limit=5');
    expect(newest.items.map((letter) => letter.topic)).toEqual(['pages/119', 'pages/118', 'pages/117', 'pages/116', 'pages/115']);
    expect(newest.items.map((letter) => Number(letter.id))).toEqual([120, 119, 118, 117, 116]);

    const seen: Page['items'] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get<Page>(
        `/api/v1/ingest/dead-letters?reason=bad-shape&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(status).toBe(200);
      seen.push(...body.items);
      cursor = body.next ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(120 / 7));
    expect(new Set(seen.map((letter) => letter.id)).size).toBe(120);
    const order = [...seen].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || Number(b.id) - Number(a.id));
    expect(seen).toEqual(order);
    expect(seen.slice(58, 60).map((letter) => letter.topic)).toEqual(['pages/61', 'pages/60']);

    for (const forged of ['not-a-cursor', '-999999999999999999.1', '99999999999999999999.1', '1.9999999999999999999']) {
      expect((await get(`/api/v1/ingest/dead-letters?cursor=${Buffer.from(forged).toString('base64url')}`)).status).toBe(400);
    }
    // The extremes it accepts lie within what PostgreSQL computes with: everything is older, or nothing.
    const extreme = (forged: string) =>
      get<Page>(`/api/v1/ingest/dead-letters?reason=bad-shape&cursor=${Buffer.from(forged).toString('base64url')}`);
    expect((await extreme('99999999999999999.999999999999999999')).body.items).toHaveLength(100);
    expect(await extreme('0.0')).toEqual({ status: 200, body: { items: [], next: null } });
  });

  it('keeps rows and bytes bounded under thousands of garbage messages, and counts every one', async () => {
    const garbage = Buffer.alloc(20_000, 'x');
    const topic = `${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`;
    const publishAll = async (count: number, message: (index: number) => [string, Buffer | string]) => {
      for (let start = 0; start < count; start += 250) {
        await Promise.all(
          Array.from({ length: Math.min(250, count - start) }, (_, offset) => {
            const [to, payload] = message(start + offset);
            return device.publishAsync(to, payload, { qos: 1 });
          }),
        );
      }
    };
    await publishAll(GARBAGE, () => [topic, garbage]);
    await publishAll(UNKNOWN_TOPICS, (index) => [
      `${env.MQTT_TOPIC_PREFIX}/${SITE}/ghost-${index}`,
      JSON.stringify({ ts: Date.now(), values: { kW: 1 } }),
    ]);

    // Counted exactly: the ledger, and the dead letters' counts plus what the cap only counted.
    const counts = await eventually(
      async () => {
        const current = await ledger();
        expect(current.received).toBe(GARBAGE + UNKNOWN_TOPICS);
        return current;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(counts).toMatchObject({ 'rejected:bad-json': GARBAGE, 'rejected:unknown-asset': UNKNOWN_TOPICS });
    const { body: summary } = await get<Array<{ source: string; reason: string; rows: number; kept: number; notKept: number }>>(
      '/api/v1/ingest/dead-letters/summary',
    );
    const of = (reason: string) => summary.find((entry) => entry.source === `mqtt:${env.MQTT_TOPIC_PREFIX}` && entry.reason === reason);
    // One topic: repeats share a row per window (two if the flood crossed a window's edge).
    expect(of('bad-json')).toEqual(expect.objectContaining({ kept: GARBAGE, notKept: 0 }));
    expect(of('bad-json')!.rows).toBeLessThanOrEqual(2);
    // A topic each: rows up to the cap, the rest counted.
    expect(of('unknown-asset')).toEqual(expect.objectContaining({ rows: CAP, kept: CAP }));
    expect(of('unknown-asset')!.kept + of('unknown-asset')!.notKept).toBe(UNKNOWN_TOPICS);

    // Bodies are kept up to DEAD_LETTER_MAX_PAYLOAD_BYTES (8 KiB), with the size and hash of the whole.
    const [body] = await db.query<{ kept: number; payload_bytes: number; payload_sha256: string; payload_truncated: boolean }>(
      `select octet_length(payload) as kept, payload_bytes, payload_sha256, payload_truncated from dead_letters
       where reason = 'bad-json' order by id limit 1`,
    );
    expect(body).toEqual({
      kept: 8192,
      payload_bytes: garbage.length,
      payload_sha256: createHash('sha256').update(garbage).digest('hex'),
      payload_truncated: true,
    });
    const [{ rows, bytes }] = await db.query<{ rows: number; bytes: number }>(
      `select count(*)::int as rows, pg_total_relation_size('dead_letters')::float8 as bytes from dead_letters`,
    );
    expect(rows).toBeLessThanOrEqual(120 + 2 + CAP);
    // Unbounded, the garbage alone was 40 MB of bodies.
    expect(bytes).toBeLessThan(4 * 1024 ** 2);
  }, 180_000);

  it('keeps the size and hash of a message larger than ingest keeps in memory (64 KiB)', async () => {
    const large = Buffer.alloc(100_000, 'y');
    const topic = `${env.MQTT_TOPIC_PREFIX}/${SITE}/chiller-1`;
    await device.publishAsync(topic, large, { qos: 1 });
    const [row] = await eventually(async () => {
      const rows = await db.query<{ kept: number; payload_bytes: number; payload_sha256: string }>(
        'select octet_length(payload) as kept, payload_bytes, payload_sha256 from dead_letters where topic = $1',
        [topic],
      );
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toEqual({ kept: 8192, payload_bytes: large.length, payload_sha256: createHash('sha256').update(large).digest('hex') });
  });

  it('expires dead letters last seen longer ago than DEAD_LETTER_RETENTION_DAYS (the worker housekeeping)', async () => {
    await db.query(`update dead_letters set last_received_at = now() - interval '15 days' where reason = 'bad-json'`);
    await running.app.get(RetentionService).enforce();
    const left = await db.query<{ reason: string; rows: number }>(
      'select reason, count(*)::int as rows from dead_letters group by reason order by reason',
    );
    expect(left).toEqual([
      { reason: 'bad-shape', rows: 120 },
      { reason: 'unknown-asset', rows: CAP },
    ]);
  });
});
