import { connectAsync, MqttClient } from 'mqtt';
import { ReadingFlags } from '@hallwatch/domain';
import { RawRetention } from '@hallwatch/readings';
import { RegistryChanges } from '@hallwatch/registry';
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

const SITE = 'ledger-hall';

describe('the loss ledger and dead-letter replay', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  let databaseUrl: string;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  };
  const ledger = async () => {
    const sources = await call<Array<{ source: string; counts: Record<string, number> }>>('GET', '/api/v1/ingest/ledger');
    return sources.find((entry) => entry.source === `mqtt:${env.MQTT_TOPIC_PREFIX}`)?.counts ?? {};
  };
  const publish = (payload: string) => device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, payload, { qos: 1 });

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
    await dropServerDatabase(databaseUrl);
  });

  it('adds up: received = stored + duplicate + rejected, with late readings counted', async () => {
    const now = Date.now();
    const good = JSON.stringify({ ts: now - 1000, values: { kW: 1, kWh: 2 } });
    await publish(good);
    await publish(good);
    await publish('{not json');
    await publish(JSON.stringify({ values: { kW: 3, reactive: 4 } }));
    await publish(JSON.stringify({ ts: now - 3_600_000, values: { kW: 5 } }));

    const counts = await eventually(async () => {
      const current = await ledger();
      expect(current.received).toBe(8);
      return current;
    });
    expect(counts).toEqual({ received: 8, stored: 4, duplicate: 2, late: 1, 'rejected:bad-json': 1, 'rejected:unknown-point': 1 });
    const rejected = Object.entries(counts)
      .filter(([outcome]) => outcome.startsWith('rejected:'))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(counts.received).toBe(counts.stored + counts.duplicate + rejected);
  });

  it('replays dead letters after the missing point is registered, at their original time', async () => {
    const {
      items: [letter],
    } = await call<{ items: Array<{ id: string; receivedAt: string }> }>('GET', '/api/v1/ingest/dead-letters?reason=unknown-point');
    const receivedAt = Date.parse(letter.receivedAt);
    await call('PUT', `/api/v1/sites/${SITE}/assets/main-incomer/points/reactive`, { kind: 'gauge', unit: 'kVAR' });

    const result = await call('POST', '/api/v1/ingest/dead-letters/replay?reason=unknown-point');
    expect(result).toEqual({ replayed: [letter.id], rejected: [], pending: [], skipped: [] });
    await eventually(async () => {
      const body = await call<{ readings: Array<{ ts: string; value: number }> }>(
        'GET',
        `/api/v1/sites/${SITE}/assets/main-incomer/points/reactive/readings?from=${receivedAt - 1}&to=${receivedAt + 1}`,
      );
      // Sent without ts: stamped with the original receive time, and flagged so, as the first time.
      expect(body.readings).toEqual([{ ts: letter.receivedAt, value: 4, flags: ReadingFlags.receiveTime, quality: 'good' }]);
    });
    // The replayed message's kW was stored the first time: now a duplicate, not a second row.
    await eventually(async () => expect(await ledger()).toMatchObject({ received: 10, stored: 5, duplicate: 3 }));
    expect(await call('POST', '/api/v1/ingest/dead-letters/replay?reason=unknown-point')).toEqual({
      replayed: [],
      rejected: [],
      pending: [],
      skipped: [],
    });
  });

  it('refuses a reading older than the retention horizon of its point (older-than-retention), and stores the next one', async () => {
    const now = Date.now();
    await publish(JSON.stringify({ ts: now - 40 * 86_400_000, values: { kW: 40 } }));
    await publish(JSON.stringify({ ts: now - 39 * 86_400_000, values: { kW: 39 } }));
    await eventually(async () => expect(await ledger()).toMatchObject({ stored: 7 }));
    // What the worker's retention job does: purge, then tell ingest instances the horizons moved.
    expect(await running.app.get(RawRetention).purge(new Date(now - 30 * 86_400_000))).toBeGreaterThan(0);
    await running.app.get(RegistryChanges).announce();

    // Each try is a reading of its own, older than the horizon: once ingest has the new horizon it is refused.
    let tries = 0;
    await eventually(async () => {
      await publish(JSON.stringify({ ts: now - 35 * 86_400_000 + ++tries, values: { kW: 35 } }));
      expect((await ledger())['rejected:older-than-retention']).toBeGreaterThanOrEqual(1);
    });
    const {
      items: [letter],
    } = await call<{ items: Array<{ reason: string; detail: string }> }>('GET', '/api/v1/ingest/dead-letters?reason=older-than-retention');
    expect(letter.detail).toMatch(/no longer kept and its rollups are final/);
    const stored = (await ledger()).stored;
    await publish(JSON.stringify({ ts: now, values: { kW: 1 } }));
    await eventually(async () => expect((await ledger()).stored).toBe(stored + 1));
  });
});
