import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { DataType, MessageSecurityMode, SecurityPolicy, Variant } from 'node-opcua-client';
import { OPCUAServer } from 'node-opcua-server';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp } from '@hallwatch/testing';

const SITE = 'opcua-hall';
const PORT = 48_000 + Math.floor(Math.random() * 1000);
const URL = `opc.tcp://127.0.0.1:${PORT}/UA/Chillers`;
/** A second server that lets in only users with a trusted X.509 certificate. */
const X509_PORT = PORT + 1000;
const X509_URL = `opc.tcp://127.0.0.1:${X509_PORT}/UA/Chillers`;
const USER_PKI = mkdtempSync(join(tmpdir(), 'opcua-user-'));
const USER_CERT = join(USER_PKI, 'crew.pem');
const USER_KEY = join(USER_PKI, 'crew.key');
const MODES = [
  { asset: 'chiller-none', securityMode: 'None', securityPolicy: 'None' },
  { asset: 'chiller-sign', securityMode: 'Sign', securityPolicy: 'Basic256Sha256' },
  { asset: 'chiller-encrypt', securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' },
] as const;

const site: SiteDefinition = {
  key: SITE,
  name: 'OPC UA hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  assets: [...MODES, { asset: 'chiller-x509' }].map(({ asset }) => ({
    key: asset,
    name: asset,
    type: 'chiller',
    tags: [],
    attributes: {},
    points: [
      { key: 'kW', kind: 'gauge', unit: 'kW', tags: [], attributes: {} },
      { key: 'running', kind: 'status', unit: '', tags: [], attributes: {} },
    ],
  })),
  opcua: MODES.map(({ asset, securityMode, securityPolicy }): SiteDefinition['opcua'][number] => ({
    key: `plc-${asset}`,
    url: URL,
    securityMode,
    securityPolicy,
    auth: 'anonymous',
    publishingIntervalMs: 100,
    samplingIntervalMs: 100,
    queueSize: 10,
    mappings: [
      { nodeId: 'ns=1;s=Chiller1.kW', asset, point: 'kW' },
      { nodeId: 'ns=1;s=Chiller1.running', asset, point: 'running' },
    ],
  })).concat({
    key: 'plc-chiller-x509',
    url: X509_URL,
    securityMode: 'SignAndEncrypt',
    securityPolicy: 'Basic256Sha256',
    auth: 'certificate',
    publishingIntervalMs: 100,
    samplingIntervalMs: 100,
    queueSize: 10,
    mappings: [
      { nodeId: 'ns=1;s=Chiller1.kW', asset: 'chiller-x509', point: 'kW' },
      { nodeId: 'ns=1;s=Chiller1.running', asset: 'chiller-x509', point: 'running' },
    ],
  }),
  // The stale-source signal: a `$source` point per endpoint, 1 while connected.
  alertRules: [
    {
      id: 'plc-down',
      name: 'PLC unreachable',
      severity: 'P2',
      target: 'plc-chiller-encrypt',
      condition: {
        type: 'threshold',
        point: { asset: '$source', point: 'opcua:plc-chiller-encrypt' },
        below: 0.5,
        forSeconds: 2,
        hysteresis: 0,
      },
    },
  ],
};

/** A small OPC UA server with a chiller whose kW changes every 100 ms. */
class ChillerServer {
  kW = 400;

  /** `userCertificate`: only users presenting this certificate (PEM) get in; no anonymous sessions. */
  constructor(
    private readonly port = PORT,
    private readonly userCertificate?: string,
  ) {}

  private server?: OPCUAServer;
  private readonly timer = setInterval(() => (this.kW += 1), 100);
  private readonly pki = mkdtempSync(join(tmpdir(), 'opcua-server-pki-'));

  async start(): Promise<void> {
    const serverCertificateManager = new OPCUACertificateManager({ rootFolder: this.pki, automaticallyAcceptUnknownCertificate: true });
    const userCertificateManager = new OPCUACertificateManager({
      rootFolder: join(this.pki, 'users'),
      automaticallyAcceptUnknownCertificate: false,
    });
    this.server = new OPCUAServer({
      port: this.port,
      resourcePath: '/UA/Chillers',
      serverCertificateManager,
      userCertificateManager,
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      allowAnonymous: !this.userCertificate,
    });
    await this.server.initialize();
    if (this.userCertificate) await userCertificateManager.trustCertificate(new X509Certificate(this.userCertificate).raw);
    const namespace = this.server.engine.addressSpace!.getOwnNamespace();
    const chiller = namespace.addObject({ organizedBy: this.server.engine.addressSpace!.rootFolder.objects, browseName: 'Chiller1' });
    namespace.addVariable({
      componentOf: chiller,
      browseName: 'kW',
      nodeId: 's=Chiller1.kW',
      dataType: 'Double',
      minimumSamplingInterval: 100,
      value: { get: () => new Variant({ dataType: DataType.Double, value: this.kW }) },
    });
    namespace.addVariable({
      componentOf: chiller,
      browseName: 'running',
      nodeId: 's=Chiller1.running',
      dataType: 'Boolean',
      minimumSamplingInterval: 100,
      value: { get: () => new Variant({ dataType: DataType.Boolean, value: true }) },
    });
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.shutdown(0);
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    await this.stop();
  }
}

describe('OPC UA collector against a node-opcua server', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  const server = new ChillerServer();
  let x509Server: ChillerServer;
  const post = async <T>(path: string, body: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;
  const latestKw = async (asset: string) => {
    const body = await get<{ readings: Array<{ ts: string; value: number }> }>(
      `/api/v1/sites/${SITE}/assets/${asset}/points/kW/readings?from=${Date.now() - 600_000}&to=${Date.now() + 60_000}`,
    );
    const last = body.readings.at(-1);
    return last && { ts: Date.parse(last.ts), value: last.value };
  };
  const offlineSources = async () => (await get<{ info?: { sources: { offline: string[] } } }>('/health/details')).info?.sources.offline;

  beforeAll(async () => {
    await server.start();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        USER_KEY,
        '-out',
        USER_CERT,
        '-days',
        '2',
        '-subj',
        '/CN=hallwatch-crew',
      ],
      {
        stdio: 'ignore',
      },
    );
    x509Server = new ChillerServer(X509_PORT, readFileSync(USER_CERT, 'utf8'));
    await x509Server.start();
    const credentials = join(USER_PKI, 'opcua-credentials.yaml');
    writeFileSync(credentials, `plc-chiller-x509:\n  certificateFile: ${USER_CERT}\n  privateKeyFile: ${USER_KEY}\n`);
    env = isolatedEnv([site], {
      DATABASE_EMBEDDED_STORAGE: 'memory',
      OPCUA_TRUST_UNKNOWN_SERVERS: 'on',
      ALERT_TICK_SECONDS: '1',
      OPCUA_CREDENTIALS_FILE: credentials,
    });
    running = await startApp(StandaloneModule, env);
  });

  afterAll(async () => {
    await running?.close();
    await server.dispose();
    await x509Server?.dispose();
  });

  it.each(MODES.map((mode) => [mode.securityMode, mode.asset]))(
    'delivers values through a subscription with security mode %s',
    async (_mode, asset) => {
      const first = await eventually(async () => {
        const latest = await latestKw(asset);
        expect(latest).toBeDefined();
        return latest!;
      });
      // It keeps changing: a subscription, not a one-off read.
      await eventually(async () => expect((await latestKw(asset))!.value).toBeGreaterThan(first.value));
      const running = await get<{ readings: Array<{ value: number }> }>(
        `/api/v1/sites/${SITE}/assets/${asset}/points/running/readings?from=${Date.now() - 600_000}`,
      );
      expect(running.readings[0].value).toBe(1);
    },
  );

  it('signs in with an X.509 user certificate where the server admits no anonymous sessions', async () => {
    const first = await eventually(async () => {
      const latest = await latestKw('chiller-x509');
      expect(latest).toBeDefined();
      return latest!;
    });
    await eventually(async () => expect((await latestKw('chiller-x509'))!.value).toBeGreaterThan(first.value));
    // The same server turns an anonymous session away.
    const anonymous = await post<{ detail: string }>('/api/v1/opcua/browse', {
      url: X509_URL,
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
      auth: 'anonymous',
    });
    expect(anonymous.status).toBe(502);
    expect(anonymous.body.detail).toContain(`Cannot browse ${X509_URL}`);
  });

  it('browses a server and proposes node-to-point mappings for the registry', async () => {
    const result = await post<{
      variables: Array<{ nodeId: string; path: string[]; dataType: string }>;
      proposal: { url: string; mappings: Array<{ nodeId: string; asset: string; point: string }> };
    }>('/api/v1/opcua/browse', { endpoint: 'plc-chiller-encrypt' });
    expect(result.status).toBe(200);
    expect(result.body.variables).toEqual(
      expect.arrayContaining([
        { nodeId: 'ns=1;s=Chiller1.kW', path: ['Chiller1', 'kW'], displayName: 'kW', dataType: 'Double', value: expect.any(Number) },
        expect.objectContaining({ nodeId: 'ns=1;s=Chiller1.running', dataType: 'Boolean' }),
      ]),
    );
    expect(result.body.proposal).toMatchObject({ url: URL, securityMode: 'SignAndEncrypt', auth: 'anonymous' });
    expect(result.body.proposal.mappings).toEqual(
      expect.arrayContaining([
        { nodeId: 'ns=1;s=Chiller1.kW', asset: 'chiller-1', point: 'kW' },
        { nodeId: 'ns=1;s=Chiller1.running', asset: 'chiller-1', point: 'running' },
      ]),
    );
    const refused = await post<{ message: string }>('/api/v1/opcua/browse', { endpoint: 'no-such-plc' });
    expect(refused.status).toBe(404);
  });

  const plcAlerts = () =>
    get<Array<{ ruleId: string; state: string }>>(`/api/v1/alerts?site=${SITE}`).then((alerts) =>
      alerts.filter((alert) => alert.ruleId === 'plc-down'),
    );

  it('survives a server restart: the outage shows in health, metrics and an alert, and values resume on their own', async () => {
    await server.stop();
    await eventually(
      async () => expect(await offlineSources()).toEqual(expect.arrayContaining(MODES.map(({ asset }) => `opcua plc-${asset}`))),
      {
        timeoutMs: 30_000,
      },
    );
    const metrics = await (
      await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).text();
    expect(metrics).toContain('hallwatch_source_online{source="opcua",id="plc-chiller-encrypt"} 0');
    await eventually(async () => expect(await plcAlerts()).toEqual([expect.objectContaining({ state: 'open' })]), { timeoutMs: 15_000 });
    const beforeRestart = (await latestKw('chiller-encrypt'))!;

    server.kW = 10_000;
    await server.start();
    for (const { asset } of MODES) {
      await eventually(async () => expect((await latestKw(asset))!.value).toBeGreaterThanOrEqual(10_000), { timeoutMs: 45_000 });
    }
    expect((await latestKw('chiller-encrypt'))!.ts).toBeGreaterThan(beforeRestart.ts);
    await eventually(async () => expect(await offlineSources()).toEqual([]), { timeoutMs: 15_000 });
    await eventually(async () => expect(await plcAlerts()).toEqual([expect.objectContaining({ state: 'resolved' })]), {
      timeoutMs: 15_000,
    });
  }, 120_000);
});
