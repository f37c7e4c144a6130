import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { DataType, MessageSecurityMode, SecurityPolicy, Variant, VariantArrayType } from 'node-opcua-client';
import { OPCUAServer } from 'node-opcua-server';
import { Database } from '@hallwatch/db';
import { ReadingFlags } from '@hallwatch/domain';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, freePort, isolatedEnv, RunningApp, startApp } from '@hallwatch/testing';
import { OpcuaEndpointConnection, OpcuaValue, RefusedMapping } from '../../apps/ingest/src/opcua/opcua-endpoint.connection';

/**
 * OPC UA as it goes in the field (#16, #15.3), against node-opcua servers whose behaviour the test
 * controls: nodes that do not exist, types that cannot be stored, 64-bit integers, fast changes,
 * endpoints that are unreachable from the first start, and a server that captures credentials.
 */
const SITE = 'opcua-field';
const CREW = { userName: 'crew', password: 'secret-of-the-plant' };

/** A plant server; every user name and password offered to it is kept in `offered`. */
class PlantServer {
  readonly offered: Array<{ userName: string; password: string }> = [];
  /** Changes every 10 ms: what a 1000 ms sampling interval misses. */
  fast = 0;
  /** A text node whose value changes every 50 ms: a type ingest cannot store, failing again and again. */
  label = 0;
  private readonly timers = [setInterval(() => (this.fast += 1), 10), setInterval(() => (this.label += 1), 50)];
  private server?: OPCUAServer;

  constructor(readonly port: number) {}

  get url(): string {
    return `opc.tcp://127.0.0.1:${this.port}/UA/Plant`;
  }

  async start(): Promise<void> {
    const pki = mkdtempSync(join(tmpdir(), 'opcua-plant-pki-'));
    this.server = new OPCUAServer({
      port: this.port,
      resourcePath: '/UA/Plant',
      serverCertificateManager: new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true }),
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      allowAnonymous: true,
      userManager: {
        isValidUser: (userName: string, password: string) => {
          this.offered.push({ userName, password });
          return userName === CREW.userName && password === CREW.password;
        },
      },
    });
    await this.server.initialize();
    const addressSpace = this.server.engine.addressSpace!;
    const namespace = addressSpace.getOwnNamespace();
    const plant = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Plant' });
    const variable = (name: string, dataType: DataType, value: () => unknown) =>
      namespace.addVariable({
        componentOf: plant,
        browseName: name,
        nodeId: `s=Plant.${name}`,
        dataType: DataType[dataType],
        minimumSamplingInterval: 10,
        value: { get: () => new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: value() }) },
      });
    variable('kW', DataType.Double, () => 400 + (this.fast % 100));
    variable('Label', DataType.String, () => `batch ${this.label}`);
    // 64-bit integers as node-opcua carries them: [high, low] 32-bit words.
    variable('Energy', DataType.Int64, () => [0, 123_456_789]);
    variable('Pulses', DataType.UInt64, () => [0x00200000, 1]);
    variable('Fast', DataType.Double, () => this.fast);
    await this.server.start();
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearInterval(timer));
    await this.server?.shutdown(0);
  }
}

const gauge = (key: string) => ({ key, kind: 'gauge' as const, unit: '', tags: [], attributes: {} });
const endpoint = (key: string, url: string, extra: Partial<SiteDefinition['opcua'][number]> = {}): SiteDefinition['opcua'][number] => ({
  key,
  url,
  securityMode: 'None',
  securityPolicy: 'None',
  auth: 'anonymous',
  publishingIntervalMs: 200,
  samplingIntervalMs: 1000,
  queueSize: 10,
  mappings: [{ nodeId: 'ns=1;s=Plant.kW', asset: 'plant', point: 'kW' }],
  ...extra,
});

describe('OPC UA in the field', () => {
  let plant: PlantServer;
  let rogue: PlantServer;
  let running: RunningApp;
  let env: Record<string, string>;
  let refusedUrl: string;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    token = env.HALLWATCH_API_TOKEN,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  type EndpointHealth = {
    key: string;
    online: boolean;
    reason?: string;
    failingMappings: Array<{ nodeId: string; problem: string; repeats: number }>;
  };
  const endpointHealth = async (key: string) =>
    (await call<{ info: { opcua: { endpoints: EndpointHealth[] } } }>('GET', '/health/details')).body.info.opcua.endpoints.find(
      (candidate) => candidate.key === key,
    )!;
  const deadLetters = async (source: string) =>
    (
      await call<{ items: Array<{ source: string; reason: string; detail: string; topic: string; count: number }> }>(
        'GET',
        '/api/v1/ingest/dead-letters?limit=1000',
      )
    ).body.items.filter((letter) => letter.source === source);
  const readings = async (point: string) =>
    (
      await call<{ readings: Array<{ ts: string; value: number }> }>(
        'GET',
        `/api/v1/sites/${SITE}/assets/plant/points/${point}/readings?bucket=raw&from=${Date.now() - 600_000}&to=${Date.now() + 60_000}`,
      )
    ).body.readings;

  beforeAll(async () => {
    plant = new PlantServer(await freePort());
    rogue = new PlantServer(await freePort());
    await Promise.all([plant.start(), rogue.start()]);
    refusedUrl = `opc.tcp://127.0.0.1:${await freePort()}/UA/Nothing`;
    const site: SiteDefinition = {
      key: SITE,
      name: 'OPC UA in the field',
      timezone: 'Asia/Taipei',
      attributes: {},
      assets: [
        {
          key: 'plant',
          name: 'Plant',
          type: 'plant',
          tags: [],
          attributes: {},
          points: ['kW', 'label', 'ghost', 'energy', 'pulses', 'fast', 'slow', 'secureKw'].map(gauge),
        },
      ],
      opcua: [
        endpoint('plc-plant', plant.url, {
          mappings: [
            { nodeId: 'ns=1;s=Plant.kW', asset: 'plant', point: 'kW' },
            { nodeId: 'ns=1;s=Plant.Label', asset: 'plant', point: 'label', samplingIntervalMs: 50 },
            { nodeId: 'ns=1;s=Plant.NoSuchNode', asset: 'plant', point: 'ghost' },
            { nodeId: 'ns=1;s=Plant.Energy', asset: 'plant', point: 'energy' },
            { nodeId: 'ns=1;s=Plant.Pulses', asset: 'plant', point: 'pulses' },
            // The same node twice: sampled every 20 ms with a queue for it, and at the endpoint's 1000 ms.
            { nodeId: 'ns=1;s=Plant.Fast', asset: 'plant', point: 'fast', samplingIntervalMs: 20, queueSize: 100 },
            { nodeId: 'ns=1;s=Plant.Fast', asset: 'plant', point: 'slow' },
          ],
        }),
        endpoint('plc-secure', plant.url, {
          securityMode: 'SignAndEncrypt',
          securityPolicy: 'Basic256Sha256',
          auth: 'username',
          mappings: [{ nodeId: 'ns=1;s=Plant.kW', asset: 'plant', point: 'secureKw' }],
        }),
        endpoint('plc-refused', refusedUrl),
        endpoint('plc-nohost', 'opc.tcp://no-such-plc.invalid:4840/UA'),
      ],
      alertRules: [
        {
          id: 'plc-refused-down',
          name: 'PLC unreachable',
          severity: 'P2',
          target: 'plc-refused',
          condition: {
            type: 'threshold',
            point: { asset: '$source', point: 'opcua:plc-refused' },
            below: 0.5,
            forSeconds: 2,
            hysteresis: 0,
          },
        },
      ],
    };
    const credentials = join(mkdtempSync(join(tmpdir(), 'opcua-field-')), 'opcua-credentials.yaml');
    writeFileSync(credentials, `plc-secure:\n  username: ${CREW.userName}\n  password: ${CREW.password}\n`);
    env = isolatedEnv([site], {
      DATABASE_EMBEDDED_STORAGE: 'memory',
      OPCUA_TRUST_UNKNOWN_SERVERS: 'on',
      OPCUA_CREDENTIALS_FILE: credentials,
      ALERT_TICK_SECONDS: '1',
    });
    running = await startApp(StandaloneModule, env);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await plant?.stop();
    await rogue?.stop();
  });

  it('monitors the good mappings of an endpoint whose server refuses one, and shows the refused one with its status code (#16.3, #16.5)', async () => {
    await eventually(async () => expect((await readings('kW')).length).toBeGreaterThan(0), { timeoutMs: 30_000 });
    const health = await endpointHealth('plc-plant');
    expect(health).toMatchObject({ online: true });
    expect(health.failingMappings).toContainEqual(
      expect.objectContaining({ nodeId: 'ns=1;s=Plant.NoSuchNode', problem: expect.stringMatching(/^BadNodeIdUnknown/) }),
    );
    await eventually(async () =>
      expect((await deadLetters('opcua:plc-plant')).filter((letter) => letter.detail.includes('NoSuchNode'))).toEqual([
        expect.objectContaining({
          reason: 'bad-value',
          detail: expect.stringMatching(/ns=1;s=Plant\.NoSuchNode -> plant\/ghost: .*BadNodeIdUnknown \(0x80340000\)/),
        }),
      ]),
    );
  });

  it('stores Int64 and UInt64 as numbers, flagging one past 2^53 as inexact (#16.4)', async () => {
    await eventually(async () => expect(await readings('energy')).toContainEqual(expect.objectContaining({ value: 123_456_789 })));
    await eventually(async () => expect(await readings('pulses')).toContainEqual(expect.objectContaining({ value: 2 ** 53 })));
    const flags = await running.app
      .get(Database)
      .query<{ point: string; flags: number }>(
        `select p.key as point, r.flags from readings r join points p on p.id = r.point_id where p.key in ('energy', 'pulses') group by p.key, r.flags`,
      );
    expect(flags.sort((a, b) => a.point.localeCompare(b.point))).toEqual([
      { point: 'energy', flags: ReadingFlags.none },
      { point: 'pulses', flags: ReadingFlags.inexact },
    ]);
  });

  it("keeps one node's repeated failure as one problem: one dead letter, the repeats counted in health (#16.3, #16.4)", async () => {
    // The label changes every 50 ms: by the time health counts 20 repeats, each would have been a dead letter.
    await eventually(
      async () => {
        const fault = (await endpointHealth('plc-plant')).failingMappings.find((candidate) => candidate.nodeId === 'ns=1;s=Plant.Label');
        expect(fault?.repeats).toBeGreaterThan(20);
      },
      { timeoutMs: 20_000 },
    );
    const labelLetters = (await deadLetters('opcua:plc-plant')).filter((letter) => letter.detail.includes('Plant.Label'));
    expect(labelLetters).toEqual([
      expect.objectContaining({
        reason: 'bad-value',
        count: 1,
        topic: `${plant.url} ns=1;s=Plant.Label`,
        detail: expect.stringContaining('is not a number'),
      }),
    ]);
  });

  it('takes sampling interval and queue size per mapping: the fast mapping sees the changes the 1000 ms one misses (#16.8)', async () => {
    const from = (await readings('fast')).length;
    const slowFrom = (await readings('slow')).length;
    await eventually(async () => expect((await readings('slow')).length).toBeGreaterThanOrEqual(slowFrom + 3), { timeoutMs: 10_000 });
    const fast = (await readings('fast')).length - from;
    const slow = (await readings('slow')).length - slowFrom;
    // 20 ms against 1000 ms: fifty times as many in theory; five is plenty to tell them apart on a busy machine.
    expect(fast).toBeGreaterThan(slow * 5);
  });

  it('says why an endpoint is unreachable, in health and in the alert, and opens it on the first start after the endpoint was added (#16.2, #16.6)', async () => {
    await eventually(async () =>
      expect(await endpointHealth('plc-refused')).toMatchObject({ online: false, reason: expect.stringMatching(/^connection refused/) }),
    );
    await eventually(async () =>
      expect(await endpointHealth('plc-nohost')).toMatchObject({
        online: false,
        reason: expect.stringMatching(/^unknown host|^no answer/),
      }),
    );
    const alert = await eventually(
      async () => {
        const alerts = (await call<Array<{ ruleId: string; state: string; detail: string }>>('GET', `/api/v1/alerts?site=${SITE}&lang=en`))
          .body;
        const open = alerts.find((candidate) => candidate.ruleId === 'plc-refused-down' && candidate.state === 'open');
        expect(open).toBeDefined();
        return open!;
      },
      { timeoutMs: 20_000 },
    );
    expect(alert.detail).toMatch(/OPC UA server plc-refused unreachable for \d+ s \(connection refused/);
  });

  describe('one connection, driven directly', () => {
    const connect = async (definition: SiteDefinition['opcua'][number], trustUnknownServers: boolean) => {
      const certificates = new OPCUACertificateManager({
        rootFolder: mkdtempSync(join(tmpdir(), 'opcua-client-pki-')),
        automaticallyAcceptUnknownCertificate: trustUnknownServers,
      });
      await certificates.initialize();
      const seen = { values: [] as OpcuaValue[], refused: [] as RefusedMapping[][], states: [] as Array<[boolean, string]> };
      const connection = new OpcuaEndpointConnection(definition, certificates, undefined, {
        values: (values) => seen.values.push(...values),
        refused: (mappings) => seen.refused.push(mappings),
        state: (online, reason) => seen.states.push([online, reason]),
      });
      connection.start();
      return { seen, stop: async () => (await connection.stop(), await certificates.dispose()) };
    };

    it('monitors the good mappings when one node id does not parse, which fails alone (#16.5)', async () => {
      // The registry refuses such an id; a connection given one anyway must not lose the others.
      const { seen, stop } = await connect(
        endpoint('plc-typo', plant.url, {
          mappings: [
            { nodeId: 'ns=1;x=Plant.kW', asset: 'plant', point: 'ghost' },
            { nodeId: 'ns=1;s=Plant.kW', asset: 'plant', point: 'kW' },
          ],
        }),
        true,
      );
      try {
        await eventually(() => expect(seen.values).toContainEqual(expect.objectContaining({ mapping: 1, quality: 'good' })));
        expect(seen.refused).toEqual([[{ mapping: 0, status: 'the node id does not parse' }]]);
        expect(seen.states).toEqual([[true, 'subscribed']]);
      } finally {
        await stop();
      }
    });

    it('says "certificate" when the server is not trusted, and stops at once while retrying (#16.1, #16.6)', async () => {
      const { seen, stop } = await connect(
        endpoint('plc-untrusted', plant.url, { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' }),
        false,
      );
      await eventually(() =>
        expect(seen.states).toContainEqual([false, expect.stringMatching(/^certificate refused .*BadCertificateUntrusted/)]),
      );
      const stopping = Date.now();
      await stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
    });
  });

  describe('browse and stored credentials (#15.3)', () => {
    const engineer = async (name: string) =>
      (await call<{ token: string }>('POST', '/api/v1/tokens', { name, role: 'engineer' })).body.token;

    it("sends an endpoint's stored credentials only to its registered URL", async () => {
      const token = await engineer('browsing-engineer');
      const stolen = await call<{ detail: string }>(
        'POST',
        '/api/v1/opcua/browse',
        { url: rogue.url, key: 'plc-secure', auth: 'username', securityMode: 'None', securityPolicy: 'None' },
        token,
      );
      expect(stolen.status).toBe(403);
      expect(stolen.body.detail).toContain(`only to the URL registered for it (${plant.url})`);
      // The rogue server is there and answers (an admin may browse a new URL, anonymously): it was offered nothing.
      const admin = await call<{ variables: unknown[] }>('POST', '/api/v1/opcua/browse', {
        url: rogue.url,
        securityMode: 'None',
        securityPolicy: 'None',
      });
      expect(admin.status).toBe(200);
      expect(rogue.offered).toEqual([]);
      // Browsing the registered endpoint by name uses its credentials, there.
      const registered = await call<{ variables: unknown[] }>('POST', '/api/v1/opcua/browse', { endpoint: 'plc-secure' }, token);
      expect(registered.status).toBe(200);
      expect(plant.offered).toContainEqual(CREW);
    });

    it('is no port scanner: an engineer browses registered URLs only, and a few times a minute', async () => {
      const token = await engineer('scanning-engineer');
      const scan = await call(
        'POST',
        '/api/v1/opcua/browse',
        { url: 'opc.tcp://127.0.0.1:22/', securityMode: 'None', securityPolicy: 'None' },
        token,
      );
      expect(scan.status).toBe(403);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await call('POST', '/api/v1/opcua/browse', { endpoint: 'plc-refused' }, token)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(502), 429]);
    });
  });
});
