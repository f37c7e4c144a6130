import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { StandaloneModule } from '@hallwatch/standalone';
import { DiskSpool } from '../../apps/ingest/src/spool/disk-spool';
import {
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  testSite,
  TEST_MQTT_URL,
} from '@hallwatch/testing';

/**
 * A gateway catching up on last year publishes it on the same topics as the live readings, and the
 * broker delivers one subscription's messages in order: the live reading published after the
 * history must still be stored (and shown) before the history is, and what the history inbox
 * acknowledged must survive a stop.
 */
const SITE = 'history-lane-hall';
const MINUTE = 60_000;
/** 240 messages of 500 readings: far more than one batch (5,000) of the history lane. */
const MESSAGES = 240;
const PER_MESSAGE = 500;
const HISTORY = MESSAGES * PER_MESSAGE;

describe('history and live readings in their own lanes', () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let running: RunningApp | undefined;
  let gateway: MqttClient;
  let db: Client;
  const historyStart = Date.now() - 400 * 86_400_000;

  const storedCount = async (from: number, to: number) =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from readings r join points p on p.id = r.point_id join assets a on a.id = p.asset_id
           where a.key = 'main-incomer' and p.key = 'kWh' and r.ts >= $1 and r.ts < $2`,
          [new Date(from), new Date(to)],
        )
      ).rows[0].n,
    );
  const historyStored = () => storedCount(historyStart, historyStart + HISTORY * MINUTE);

  /** Last year's register reads, 500 to a message, as a gateway catching up sends them. */
  const publishHistory = async (offset: number) => {
    const messages = Array.from({ length: MESSAGES }, (_, m) =>
      Array.from({ length: PER_MESSAGE }, (_, i) => {
        const n = m * PER_MESSAGE + i;
        return { ts: historyStart + (offset + n) * MINUTE, values: { kWh: 1_000 + n } };
      }),
    );
    await Promise.all(
      messages.map((entries) => gateway.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify(entries), { qos: 1 })),
    );
  };

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl, SIMULATOR: 'off' });
    running = await startApp(StandaloneModule, env);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    gateway = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-gateway` });
  }, 60_000);

  afterAll(async () => {
    await gateway?.endAsync();
    await db?.end();
    await running?.close();
    await dropServerDatabase(databaseUrl);
  });

  it('stores a live reading published behind a year of history before that history is stored', async () => {
    await publishHistory(0);
    // Published after every history message was acknowledged by the broker: behind all of them.
    const liveTs = Date.now();
    await gateway.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts: liveTs, values: { kWh: 99_999 } }), {
      qos: 1,
    });
    let historyWhenLiveStored = -1;
    await eventually(
      async () => {
        if ((await storedCount(liveTs, liveTs + 1)) === 1) historyWhenLiveStored = await historyStored();
        expect(historyWhenLiveStored).toBeGreaterThanOrEqual(0);
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    expect(historyWhenLiveStored).toBeLessThan(HISTORY);
    // The history was only behind, not lost.
    await eventually(async () => expect(await historyStored()).toBe(HISTORY), { timeoutMs: 120_000, intervalMs: 250 });
  }, 180_000);

  it('keeps what the history inbox acknowledged across a stop, and stores it once after the start', async () => {
    await publishHistory(HISTORY);
    const inbox = join(env.DATA_DIR, 'spool', `${env.MQTT_CLIENT_ID}.inbox`);
    // Every message is in the inbox (acknowledged) once the broker holds none for ingest: the inbox
    // takes them at the speed of the disk. Stop while it still holds some it has not fed.
    await eventually(async () => {
      const health = (await (
        await fetch(`${running!.baseUrl}/health/details`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
      ).json()) as {
        details: { mqtt: { historyInbox: { messages: number } } };
      };
      expect(health.details.mqtt.historyInbox.messages).toBeGreaterThan(0);
    });
    await running!.close();
    running = undefined;
    const spool = new DiskSpool<unknown>(inbox, 2 ** 40, 2 ** 40);
    const fed = Number(readFileSync(join(inbox, 'fed'), 'utf8'));
    const unfed = spool.open().filter((record) => record.seq > fed).length;
    spool.close();
    expect(unfed).toBeGreaterThan(0);

    running = await startApp(StandaloneModule, env);
    const secondYear = () => storedCount(historyStart + HISTORY * MINUTE, historyStart + 2 * HISTORY * MINUTE);
    await eventually(async () => expect(await secondYear()).toBe(HISTORY), { timeoutMs: 120_000, intervalMs: 250 });
    const ledger = await db.query<{ outcome: string; count: string }>(
      `select outcome, count from ingest_ledger where source = $1 and outcome in ('stored', 'received')`,
      [`mqtt:${env.MQTT_TOPIC_PREFIX}`],
    );
    const counts = Object.fromEntries(ledger.rows.map((row) => [row.outcome, Number(row.count)]));
    // Both years and the one live reading, each stored once.
    expect(counts.stored).toBe(2 * HISTORY + 1);
  }, 240_000);
});
