import { connectAsync, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { StandaloneModule } from '@hallwatch/standalone';
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
 * A reading the parsers accept but the database refuses (here a trigger stands in for whatever a
 * future bug lets through) must not stop ingest: the batch is written message by message, the
 * refused one is kept as a dead letter with the database's reason, and the rest are stored.
 */
const SITE = 'refusal-hall';
const POISON = 13.13;

describe('a batch the database refuses', () => {
  let databaseUrl: string;
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const get = async <T>(path: string) =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl });
    running = await startApp(StandaloneModule, env);
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`
      create function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.value = ${POISON} then raise exception 'value % refused', new.value using errcode = '22023'; end if;
        return new;
      end $$;
      create trigger refuse_poison before insert on readings for each row execute function refuse_poison();`);
    await client.end();
    device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
    await dropServerDatabase(databaseUrl);
  });

  it('stores the rest of the batch, dead-letters the refused reading with the reason, and keeps ingesting', async () => {
    const t0 = Date.now() - 60_000;
    const values = [1, 2, POISON, 4, 5];
    // Published together, so they share a batch.
    await Promise.all(
      values.map((kW, i) =>
        device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts: t0 + i * 1000, values: { kW } }), {
          qos: 1,
        }),
      ),
    );
    const stored = () =>
      get<{ readings: Array<{ value: number }> }>(
        `/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?from=${t0 - 1}&to=${Date.now() + 1}`,
      ).then((body) => body.readings.map((reading) => reading.value));
    await eventually(async () => expect(await stored()).toEqual([1, 2, 4, 5]), { timeoutMs: 20_000 });
    const { items: letters } = await get<{ items: Array<{ reason: string; detail: string; payload: string }> }>(
      '/api/v1/ingest/dead-letters?reason=storage-refused',
    );
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'storage-refused', detail: expect.stringContaining(`value ${POISON} refused`) }),
    ]);
    expect(JSON.parse(letters[0].payload)).toMatchObject({ site: SITE, asset: 'main-incomer', point: 'kW', value: POISON });

    await device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts: t0 + 10_000, values: { kW: 6 } }), {
      qos: 1,
    });
    await eventually(async () => expect(await stored()).toEqual([1, 2, 4, 5, 6]));
    const ledger = await get<Array<{ source: string; counts: Record<string, number> }>>('/api/v1/ingest/ledger');
    const counts = ledger.find((entry) => entry.source === `mqtt:${env.MQTT_TOPIC_PREFIX}`)!.counts;
    expect(counts).toMatchObject({ received: 6, stored: 5, 'rejected:storage-refused': 1 });
    const rejected = Object.entries(counts)
      .filter(([outcome]) => outcome.startsWith('rejected:'))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(counts.received).toBe(counts.stored + (counts.duplicate ?? 0) + rejected);
  });
});
