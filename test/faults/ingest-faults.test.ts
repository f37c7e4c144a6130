import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { connectAsync, MqttClient } from 'mqtt';
import { AlertRulesRepository, RuleDefinition } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { RegistryRepository } from '@hallwatch/registry';
import {
  AppProcess,
  CountedStream,
  createTestDatabase,
  eventually,
  freePort,
  isolatedEnv,
  startMosquitto,
  startProcess,
  TcpProxy,
  TestBroker,
  testSite,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * The fault suite: a built ingest process on the real PostgreSQL, Redis and Mosquitto, a counted
 * QoS 1 stream, and faults on purpose. After each, the stored set must equal the sent set.
 */
const SITE = 'fault-hall';
// Recent (not late): these readings take the live lane, whose spool the faults below are about.
const BASE_TS = Date.now() - 10 * 60_000;

describe('ingest keeps every accepted reading through faults', () => {
  const database = new TcpProxy('127.0.0.1', 5432);
  const redis = new TcpProxy('127.0.0.1', 6379);
  let broker: TestBroker;
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let ingest: AppProcess;
  let device: MqttClient;
  let pointId: number;
  let stream: CountedStream;

  const health = async () => {
    // The details (why a connection is down) need a token; the public /health says up or down only.
    const response = await fetch(`http://127.0.0.1:${env.PORT}/health/details`, {
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
    }).catch(() => undefined);
    return (
      response && {
        status: response.status,
        body: (await response.json()) as { info?: Record<string, unknown>; error?: Record<string, unknown> },
      }
    );
  };
  /** Every reading stored is one that was sent, once; every one sent is stored; the ledger counts each once. */
  const expectStoredEqualsSent = async () => {
    await stream.expectStored(testDb.db, pointId);
    const ledger = await testDb.db.query<{ outcome: string; count: number }>('select outcome, count::float8 as count from ingest_ledger');
    expect(Object.fromEntries(ledger.map((row) => [row.outcome, row.count]))).toMatchObject({ stored: stream.sent });
  };
  const startIngest = async () => {
    ingest = startProcess('ingest', env);
    await eventually(async () => expect((await health())?.status).toBe(200), { timeoutMs: 30_000 });
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([testSite(SITE)], 'registry');
    pointId = (await registry.findPointAddress(SITE, 'main-incomer', 'kW'))!.pointId;
    broker = await startMosquitto();
    await database.up();
    await redis.up();
    const proxied = new URL(testDb.url!);
    proxied.port = String(database.port);
    env = isolatedEnv([testSite(SITE)], {
      HALLWATCH_APP: 'ingest',
      PORT: String(await freePort()),
      DATABASE_URL: proxied.toString(),
      DATABASE_POOL_SIZE: '2',
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      MQTT_URL: broker.url,
    });
    device = await connectAsync(broker.url, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    stream = new CountedStream(device, `${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, BASE_TS);
    await startIngest();
  }, 60_000);

  afterAll(async () => {
    if (process.env.DEBUG_FAULTS) console.log(ingest?.output.join('').slice(-6000));
    await ingest?.stop('SIGKILL');
    await device?.endAsync();
    await database.down();
    await redis.down();
    await testDb?.drop();
    await broker?.stop();
  });

  it('stores a clean stream exactly', async () => {
    await stream.publish(300);
    await expectStoredEqualsSent();
  });

  it('keeps accepting while the database is away, shows the backlog, and drains it when it returns', async () => {
    await database.down();
    await stream.publish(300);
    const during = await eventually(async () => {
      const current = await health();
      expect(current?.status).toBe(503);
      return current!.body;
    });
    expect(JSON.stringify(during.error)).toMatch(/writes failing/);
    // Readiness is down, liveness is not: an orchestrator must not restart a process that keeps accepting.
    expect((await fetch(`http://127.0.0.1:${env.PORT}/health/live`)).status).toBe(200);
    await database.up();
    await expectStoredEqualsSent();
    await eventually(async () => expect((await health())?.status).toBe(200));
  });

  it('loses nothing and stores nothing twice when ingest is killed with SIGKILL mid-stream', async () => {
    const streaming = stream.publish(1500);
    await eventually(async () => {
      const [{ count }] = await testDb.db.query<{ count: number }>('select count(*)::int as count from readings where point_id = $1', [
        pointId,
      ]);
      expect(count).toBeGreaterThan(stream.sent - 1400);
    });
    await ingest.stop('SIGKILL');
    await streaming;
    await startIngest();
    await expectStoredEqualsSent();
  });

  it('stores what the spool held when ingest is killed while the database is away', async () => {
    await database.down();
    await stream.publish(400);
    await eventually(async () => expect((await health())?.status).toBe(503));
    await ingest.stop('SIGKILL');
    await database.up();
    await startIngest();
    await expectStoredEqualsSent();
    expect(ingest.output.join('')).toMatch(/spool: storing \d+ message\(s\) acknowledged before the last stop/);
  });

  it('stops within 10 s on SIGTERM while the database is away, and stores what it had accepted at the next start', async () => {
    await database.down();
    await stream.publish(300);
    // The positive marker that the writer had its chance: it tried, failed, and says so.
    await eventually(async () => expect((await health())?.status).toBe(503));
    const stopping = Date.now();
    await ingest.stop('SIGTERM');
    // The bound for every stop; before the fix, the drain loop retried until SIGKILL.
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(ingest.output.join('')).toMatch(/stopping with \d+ reading\(s\) not yet stored/);
    await database.up();
    await startIngest();
    await expectStoredEqualsSent();
  });

  it('stores everything a new spool folder held, though the lost one had committed far ahead', async () => {
    // A pod lost its volume: its new spool starts at sequence 1 again, while the commit marker says
    // the old spool was stored up to 1,000,000. Without epochs the new spool's records, stored
    // nowhere yet, were taken for committed at the next start and discarded without a word.
    await ingest.stop('SIGTERM');
    await testDb.db.query(`update ingest_spool_commits set seq = 1000000 where instance = $1`, [env.MQTT_CLIENT_ID]);
    rmSync(join(env.DATA_DIR, 'spool'), { recursive: true, force: true });
    await startIngest();
    await database.down();
    await stream.publish(200);
    await eventually(async () => expect((await health())?.status).toBe(503));
    await ingest.stop('SIGKILL');
    await database.up();
    await startIngest();
    await expectStoredEqualsSent();
    expect(ingest.output.join('')).toMatch(/spool: storing 200 message\(s\) acknowledged before the last stop/);
  });

  it('keeps storing through a Redis outage, reports it in health, and raises the alert a breach during it called for', async () => {
    // A rule that only readings sent during the outage break.
    const limit = stream.sent + 50;
    const rule: RuleDefinition = {
      id: 'fault-hall.kw-high',
      name: 'kW above the limit',
      severity: 'P2',
      site: SITE,
      target: 'main-incomer',
      condition: { type: 'threshold', point: { asset: 'main-incomer', point: 'kW' }, above: limit, forSeconds: 0, hysteresis: 0 },
    };
    await new AlertRulesRepository(testDb.db).upsert(rule, 'api', 'fault suite');
    const announcer = new Redis(`redis://127.0.0.1:${redis.port}`);
    await announcer.publish(`${env.REDIS_PREFIX}:alert-rules-changed`, 'changed');
    announcer.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));

    await redis.down();
    await stream.publish(200);
    await eventually(async () => expect(JSON.stringify((await health())?.body.error ?? {})).toMatch(/redis/));
    await redis.up();
    await expectStoredEqualsSent();
    await eventually(async () => expect((await health())?.status).toBe(200), { timeoutMs: 20_000 });

    const queue = new Queue(QUEUES.alerts, bullmqOptions(AppConfig.from(env)));
    try {
      await eventually(
        async () => {
          const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized'])) as Array<Job<JobPayloads['alerts.transition']>>;
          const opens = jobs.filter(
            (job) => job.name === 'alerts.transition' && job.data.ruleId === rule.id && job.data.change.kind === 'open',
          );
          expect(opens).toHaveLength(1);
          expect(opens[0].data.change.value).toBe(limit + 1);
        },
        { timeoutMs: 20_000 },
      );
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
