import { Queue, QueueEvents } from 'bullmq';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { WorkerModule } from '@hallwatch/worker';
import { createTestDatabase, eventually, isolatedEnv, startApp, testSite, TestDatabase, RunningApp } from '@hallwatch/testing';

describe('worker housekeeping on plain PostgreSQL', () => {
  let testDb: TestDatabase;
  let running: RunningApp;
  let queue: Queue;
  let events: QueueEvents;
  let token: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    const env = isolatedEnv([testSite('housekeeping-hall')], { DATABASE_URL: testDb.url!, RETENTION_RAW_DAYS: '30' });
    running = await startApp(WorkerModule, env, { api: false });
    token = env.HALLWATCH_API_TOKEN;
    const options = bullmqOptions(AppConfig.from(env));
    queue = new Queue(QUEUES.housekeeping, options);
    events = new QueueEvents(QUEUES.housekeeping, options);
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await running?.close();
    await testDb?.drop();
  });

  it('schedules retention and deletes raw readings past RETENTION_RAW_DAYS but the newest (the anchor), keeping newer ones and rollups', async () => {
    // Tuning and maintenance planning share the housekeeping queue (slow work, apart from the alerts queue).
    expect((await queue.getJobSchedulers()).map((scheduler) => `${scheduler.key} ${scheduler.name}`).sort()).toEqual([
      'alerts-tune-daily alerts.tune',
      'maintenance-plan-hourly maintenance.plan',
      'retention-hourly housekeeping.retention',
    ]);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([testSite('housekeeping-hall')], 'registry');
    const [address] = await registry.allPointAddresses();
    const readings = new ReadingRepository(testDb.db, testDb.db);
    const rollups = new RollupRepository(testDb.db);
    const older = Date.now() - 41 * 86_400_000;
    const old = Date.now() - 40 * 86_400_000;
    const recent = Date.now() - 86_400_000;
    await readings.insertBatch([
      { pointId: address.pointId, ts: older, value: 1, flags: 0 },
      { pointId: address.pointId, ts: old, value: 2, flags: 0 },
      { pointId: address.pointId, ts: recent, value: 3, flags: 0 },
    ]);
    await new RollupRefresher(testDb.db).drain();
    const rollupsBefore = await rollups.pointSeries(address.pointId, '1d', new Date(0), new Date(), 100);

    const data: JobPayloads['housekeeping.retention'] = { correlationId: 'test' };
    const job = await queue.add('housekeeping.retention', data);
    expect(await job.waitUntilFinished(events, 15_000)).toEqual({ deleted: 1 });
    await eventually(async () => {
      const metrics = await (await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
      expect(metrics).toMatch(/hallwatch_jobs_total\{queue="housekeeping",name="housekeeping.retention",outcome="completed"\} [1-9]\d*/);
    });

    const left = await readings.raw(address.pointId, new Date(0), new Date(), 10);
    expect(left.map((row) => row.value)).toEqual([2, 3]);
    expect(await rollups.pointSeries(address.pointId, '1d', new Date(0), new Date(), 100)).toEqual(rollupsBefore);
  });
});
