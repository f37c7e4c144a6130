import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AlertRulesRepository, AlertsRepository } from '@hallwatch/alerts';
import { SiteDefinition } from '@hallwatch/registry';
import { WorkerModule } from '@hallwatch/worker';
import { createTestDatabase, isolatedEnv, startApp, testSite, TestDatabase } from '@hallwatch/testing';

const SITE = 'removed-plc-hall';
const endpoint: SiteDefinition['opcua'][number] = {
  key: 'plc-gone',
  url: 'opc.tcp://127.0.0.1:1/UA/Gone',
  securityMode: 'None',
  securityPolicy: 'None',
  auth: 'anonymous',
  publishingIntervalMs: 1000,
  samplingIntervalMs: 1000,
  queueSize: 10,
  mappings: [{ nodeId: 'ns=1;s=kW', asset: 'chiller-1', point: 'kW' }],
};

/** #16.7: the worker applies the registry at start; an endpoint's removal disables its rules and resolves their open alerts. */
describe('alert rules of an OPC UA endpoint removed from the registry', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  const withEndpoint = (present: boolean) =>
    writeFileSync(
      join(env.REGISTRY_DIR, 'sites.yaml'),
      stringify({ version: 1, sites: [{ ...testSite(SITE), opcua: present ? [endpoint] : [] }] }),
    );
  const startWorker = async () => (await startApp(WorkerModule, env, { api: false })).close();

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url! });
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('disables them and resolves their open alerts, and enables them again when the endpoint is back', async () => {
    const rules = new AlertRulesRepository(testDb.db);
    const alerts = new AlertsRepository(testDb.db);
    const watching = {
      id: 'plc-gone-down',
      name: 'PLC unreachable',
      severity: 'P2' as const,
      site: SITE,
      target: 'plc-gone',
      condition: {
        type: 'threshold' as const,
        point: { asset: '$source', point: 'opcua:plc-gone' },
        below: 0.5,
        forSeconds: 60,
        hysteresis: 0,
      },
    };
    // Another rule of the site, on a point, stays as it is: the positive marker that the rules were looked at.
    const other = {
      ...watching,
      id: 'chiller-hot',
      target: 'chiller-1',
      condition: { ...watching.condition, point: { asset: 'chiller-1', point: 'kW' } },
    };
    await rules.upsert(watching, 'registry', 'registry');
    await rules.upsert(other, 'api', 'mei');
    const { alert } = await alerts.open(
      {
        ruleId: watching.id,
        site: SITE,
        target: 'plc-gone',
        severity: 'P2',
        title: watching.name,
        detail: 'down',
        value: 0,
        at: Date.now(),
      },
      'test',
    );

    withEndpoint(false);
    await startWorker();
    expect(await rules.find(watching.id)).toMatchObject({ enabled: false, updatedBy: 'registry-removal' });
    expect(await rules.find(other.id)).toMatchObject({ enabled: true, updatedBy: 'mei' });
    expect(await alerts.unresolved(watching.id, 'plc-gone')).toBeUndefined();
    const events = await alerts.events(alert.id);
    expect(events.at(-1)).toMatchObject({ action: 'resolved', actor: 'registry-removal' });
    expect(JSON.stringify(events.at(-1))).toContain('OPC UA endpoint plc-gone removed from the registry');

    withEndpoint(true);
    await startWorker();
    expect(await rules.find(watching.id)).toMatchObject({ enabled: true, updatedBy: 'registry' });
  }, 60_000);
});
