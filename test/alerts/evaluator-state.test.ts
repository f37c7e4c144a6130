import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { Job, Queue } from 'bullmq';
import { AlertEvaluator, AlertRulesRepository, AlertsModule } from '@hallwatch/alerts';
import { AppConfig } from '@hallwatch/config';
import { CoreModule } from '@hallwatch/core';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';
import { createTestDatabase, isolatedEnv, testSite, TestDatabase } from '@hallwatch/testing';

/**
 * Rule state lives in Redis, so it outlasts an ingest process and is shared by several: an
 * instance that restarts carries on where it stopped, and two instances that find the same
 * change make one transition job.
 */
const SITE = 'state-hall';
const T0 = Date.parse('2026-07-06T10:00:00+08:00');
const sample = (secondsAfter: number, value: number) => ({
  site: SITE,
  asset: 'chiller-1',
  point: 'chwsT',
  ts: T0 + secondsAfter * 1000,
  value,
});

describe('alert rule state across restarts and instances', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  const instances: TestingModule[] = [];

  const ingestInstance = async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule, AlertsModule] })
      .overrideProvider(AppConfig)
      .useValue(AppConfig.from(env))
      .compile();
    await moduleRef.init();
    instances.push(moduleRef);
    return moduleRef;
  };
  const transitions = async (moduleRef: TestingModule) => {
    const queue = moduleRef.get<Queue>(getQueueToken(QUEUES.alerts));
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'prioritized'])) as Array<Job<JobPayloads['alerts.transition']>>;
    return jobs.filter((job) => job.name === 'alerts.transition').map((job) => ({ kind: job.data.change.kind, at: job.data.change.at }));
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url! });
  });

  afterAll(async () => {
    if (instances.length > 0) await instances[0].get<Queue>(getQueueToken(QUEUES.alerts)).obliterate({ force: true });
    for (const moduleRef of instances) await moduleRef.close();
    await testDb?.drop();
  });

  it('carries a duration across a restart and makes one transition when two instances find the same change', async () => {
    const first = await ingestInstance();
    await first.get(AlertRulesRepository).upsert(
      {
        id: 'chws-high',
        name: 'Chilled-water supply above 9 °C for 10 s',
        severity: 'P2',
        site: SITE,
        target: 'chiller-1',
        condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'chwsT' }, above: 9, forSeconds: 10, hysteresis: 0.5 },
      },
      'api',
      'test',
    );
    await first.get(AlertEvaluator).reload();
    await first.get(AlertEvaluator).evaluate([sample(0, 10), sample(4, 10)], T0 + 4000);
    await first.close();
    instances.shift();

    // A restarted instance and a second one: the breach began at T0 in the state they share.
    const [restarted, second] = [await ingestInstance(), await ingestInstance()];
    expect(await restarted.get(AlertEvaluator).evaluate([sample(8, 10)], T0 + 8000)).toBe(0);
    const found = await Promise.all([
      restarted.get(AlertEvaluator).evaluate([sample(10, 10.5)], T0 + 10_000),
      second.get(AlertEvaluator).evaluate([sample(10, 10.5)], T0 + 10_000),
    ]);
    expect(found.sort()).toEqual([0, 1]);
    expect(await transitions(second)).toEqual([{ kind: 'open', at: T0 + 10_000 }]);

    // Both see the recovery, interleaved: one resolve.
    await Promise.all([
      restarted.get(AlertEvaluator).evaluate([sample(12, 8), sample(30, 8)], T0 + 30_000),
      second.get(AlertEvaluator).evaluate([sample(16, 8), sample(34, 8)], T0 + 34_000),
    ]);
    expect((await transitions(second)).map((change) => change.kind).sort()).toEqual(['open', 'resolve']);
  });
});
