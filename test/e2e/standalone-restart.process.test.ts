import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { PgliteDatabase } from '@hallwatch/db';
import { AppProcess, eventually, freePort, startProcess, TEST_REDIS_URL } from '@hallwatch/testing';
import { DiskSpool } from '../../apps/ingest/src/spool/disk-spool';
import type { IngestUnit } from '../../apps/ingest/src/batch-writer.service';

/**
 * A user stops `npm start` and starts it again on the same data folder: it must come back with
 * everything it had, also when the last run left a large spool backlog (a back-fill cut short).
 */
describe('standalone restarted on its own data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hallwatch-restart-'));
  let port: number;
  let mqttUrl: string;
  let app: AppProcess | undefined;

  const start = async () => {
    app = startProcess('standalone', {
      PORT: String(port),
      DATA_DIR: dataDir,
      MQTT_URL: mqttUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `restart-${port}`,
      SIMULATOR: 'off',
      LOG_LEVEL: 'info',
    });
    const exited = new Promise<number | null>((resolve) => app!.child.once('exit', (code) => resolve(code)));
    const healthy = eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200), {
      timeoutMs: 90_000,
    });
    const outcome = await Promise.race([healthy.then(() => 'healthy' as const), exited.then((code) => `exited ${code}`)]);
    if (outcome !== 'healthy') throw new Error(`standalone ${outcome}:\n${app.output.join('').slice(-4000)}`);
  };

  /**
   * Waits for the app's own "listening" line. Logs reach the pipe asynchronously, possibly after
   * /health answers; this line is logged after the spool lanes opened, on the same stream as their
   * lines, so once it is here, whatever they logged at start is here too.
   */
  const startLogged = () =>
    eventually(async () => expect(app!.output.join('')).toMatch(/listening on http:\/\/localhost/), { timeoutMs: 30_000 });

  const stop = async () => {
    await app?.stop('SIGTERM');
    app = undefined;
  };

  /** Opens the data folder itself (the app must be stopped: the embedded database has one user). */
  const withDatabase = async <T>(work: (db: PgliteDatabase) => Promise<T>): Promise<T> => {
    const db = await PgliteDatabase.open(join(dataDir, 'db'));
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };

  const publishedTs = Date.UTC(2026, 10, 30, 4, 0, 0);

  beforeAll(async () => {
    port = await freePort();
    mqttUrl = `mqtt://127.0.0.1:${await freePort()}`;
  });

  afterAll(async () => {
    await stop();
  });

  it('keeps what it stored across a stop and a start', async () => {
    await start();
    const device = await connectAsync(mqttUrl);
    for (let i = 0; i < 10; i++) {
      await device.publishAsync(
        'hallwatch/v1/demo-city-hall/weather',
        JSON.stringify({ ts: publishedTs + i * 60_000, values: { outdoorT: 20 + i } }),
        { qos: 1 },
      );
    }
    await device.endAsync();
    const token = await adminToken(dataDir);
    await eventually(async () => expect(await storedCount(port, token, publishedTs)).toBe(10), { timeoutMs: 30_000 });
    await stop();

    await start();
    expect(await storedCount(port, token, publishedTs)).toBe(10);
    await stop();
  }, 240_000);

  it('stores a backlog of 140,000 spooled messages left by the last run, and keeps the rest', async () => {
    const pointId = await withDatabase(async (db) => {
      const [row] = await db.query<{ id: number }>(
        `select p.id from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
         where s.key = 'demo-city-hall' and a.key = 'weather' and p.key = 'outdoorT'`,
      );
      return row.id;
    });
    // What a run acknowledged and spooled but did not store before it stopped.
    const spool = new DiskSpool<IngestUnit>(join(dataDir, 'spool', 'hallwatch-ingest'), 2 ** 40, 2 ** 40);
    spool.open();
    const backlog = 140_000;
    const backlogStart = Date.UTC(2026, 9, 1);
    for (let i = 0; i < backlog; i++) {
      spool.append({
        source: 'mqtt:hallwatch/v1',
        receivedAt: Date.now(),
        readings: [{ pointId, ts: backlogStart + i * 10_000, value: i % 40, flags: 0 }],
        deadLetters: [],
      });
    }
    spool.close();

    await start();
    await startLogged();
    expect(app!.output.join('')).toMatch(/spool: storing 140000 message/);
    const token = await adminToken(dataDir);
    await eventually(async () => expect(await storedCount(port, token, backlogStart, backlogStart + backlog * 10_000)).toBe(backlog), {
      timeoutMs: 180_000,
      intervalMs: 1_000,
    });
    expect(await storedCount(port, token, publishedTs)).toBe(10);
    await stop();

    await start();
    expect(await storedCount(port, token, backlogStart, backlogStart + backlog * 10_000)).toBe(backlog);
    await startLogged();
    expect(app!.output.join('')).not.toMatch(/spool: storing/);
    await stop();

    const raw = await withDatabase((db) =>
      db.query<{ count: number }>('select count(*)::int as count from readings where point_id = $1', [pointId]),
    );
    expect(raw[0].count).toBe(backlog + 10);
  }, 420_000);
});

async function adminToken(dataDir: string): Promise<string> {
  const { readFileSync } = await import('node:fs');
  return readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}

/** Readings of the demo's outdoor temperature counted by its 15-minute rollups from `from` (10 minutes unless `to`), through the API. */
async function storedCount(port: number, token: string, from: number, to = from + 600_000): Promise<number> {
  const url = new URL(`http://127.0.0.1:${port}/api/v1/sites/demo-city-hall/assets/weather/points/outdoorT/readings`);
  url.searchParams.set('bucket', '15m');
  url.searchParams.set('from', new Date(from).toISOString());
  url.searchParams.set('to', new Date(to).toISOString());
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`readings: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { readings: Array<{ count: number }> };
  return body.readings.reduce((sum, row) => sum + row.count, 0);
}
