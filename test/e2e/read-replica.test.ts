import { connectAsync } from 'mqtt';
import { PgDatabase } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  createServerDatabase,
  createTestDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  TEST_MQTT_URL,
  testSite,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * DATABASE_READ_URL: trends and rollups are read from the replica, writes go to the primary. The
 * "replica" here is a second database that replicates nothing, so where each answer comes from shows.
 */
const SITE = 'replica-hall';

describe('reads from a read replica', () => {
  let primaryUrl: string;
  let replica: TestDatabase;
  let env: Record<string, string>;
  let running: RunningApp;
  const ts = Date.parse('2025-07-01T10:00:00+08:00');

  beforeAll(async () => {
    primaryUrl = await createServerDatabase();
    replica = await createTestDatabase('postgres');
    const registry = new RegistryRepository(replica.db);
    await registry.applySites([testSite(SITE)], 'registry');
    const kW = (await registry.findPointAddress(SITE, 'main-incomer', 'kW'))!;
    await new ReadingRepository(replica.db, replica.db).insertBatch([{ pointId: kW.pointId, ts, value: 111, flags: 0 }]);
    await new RollupRefresher(replica.db).drain();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: primaryUrl, DATABASE_READ_URL: replica.url! });
    running = await startApp(StandaloneModule, env);
  });

  afterAll(async () => {
    await running?.close();
    await replica?.drop();
    await dropServerDatabase(primaryUrl);
  });

  it('serves readings from the replica and stores new ones in the primary', async () => {
    const device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    await device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts: ts + 60_000, values: { kW: 222 } }), {
      qos: 1,
    });
    await device.endAsync();
    const primary = new PgDatabase(primaryUrl, 1);
    await eventually(async () => expect(await primary.query('select value from readings')).toEqual([{ value: 222 }]));
    await primary.close();

    const response = await fetch(
      `${running.baseUrl}/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?from=${ts}&to=${ts + 3_600_000}&bucket=15m`,
      {
        headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
      },
    );
    // The replica's one reading (10:00) holds for an hour: its own quarter has it, the next three
    // only its held value.
    const body = (await response.json()) as { readings: Array<{ count: number; mean: number | null; twMean: number }> };
    expect(body.readings.map((row) => [row.count, row.mean, row.twMean])).toEqual([
      [1, 111, 111],
      [0, null, 111],
      [0, null, 111],
      [0, null, 111],
    ]);
  });
});
