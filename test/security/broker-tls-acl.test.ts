import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, freePort, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

/**
 * The production broker configuration (deploy/mosquitto/mosquitto-secure.conf and acl): TLS only,
 * no anonymous clients, and a building's gateway may publish under its own site only. Ingest
 * connects over TLS with its own user, trusting the deployment's CA.
 */
const ROOT = join(__dirname, '../..');
const OWN = 'secure-hall';
const OTHER = 'other-hall';
const PASSWORDS = { 'hallwatch-ingest': 'ingest-secret-123', [OWN]: 'gateway-secret-own', [OTHER]: 'gateway-secret-other' };

function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Hallwatch test CA',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'rogue.key',
    '-out',
    'rogue.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Somebody else',
  );
}

describe('broker with TLS, passwords and per-site topic ACLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-broker-'));
  let port: number;
  let url: string;
  let broker: ReturnType<typeof spawn>;
  let env: Record<string, string>;
  let running: RunningApp;
  const ca = () => readFileSync(join(dir, 'ca.pem'));
  const latest = async (site: string) => {
    const response = await fetch(
      `${running.baseUrl}/api/v1/sites/${site}/assets/main-incomer/points/kW/readings?from=0&to=${Date.now() + 60_000}`,
      {
        headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
      },
    );
    return ((await response.json()) as { readings: Array<{ value: number }> }).readings.map((reading) => reading.value);
  };

  beforeAll(async () => {
    makeCertificates(dir);
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, '');
    for (const [user, password] of Object.entries(PASSWORDS))
      execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'ignore' });
    port = await freePort();
    url = `mqtts://127.0.0.1:${port}`;
    const config = readFileSync(join(ROOT, 'deploy/mosquitto/mosquitto-secure.conf'), 'utf8')
      .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
      .replace(/^cafile .*$/m, `cafile ${join(dir, 'ca.pem')}`)
      .replace(/^certfile .*$/m, `certfile ${join(dir, 'server.pem')}`)
      .replace(/^keyfile .*$/m, `keyfile ${join(dir, 'server.key')}`)
      .replace(/^password_file .*$/m, `password_file ${passwd}`)
      .replace(/^acl_file .*$/m, `acl_file ${join(ROOT, 'deploy/mosquitto/acl')}`)
      .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
    writeFileSync(join(dir, 'mosquitto.conf'), config);
    // Started as root, mosquitto drops to its own user: it must be able to read all this.
    chmodSync(dir, 0o777);
    for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
    broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await eventually(async () =>
      (await connectAsync(url, { ca: ca(), username: OWN, password: PASSWORDS[OWN], reconnectPeriod: 0, connectTimeout: 1000 })).endAsync(),
    );

    env = isolatedEnv([testSite(OWN), testSite(OTHER)], {
      DATABASE_EMBEDDED_STORAGE: 'memory',
      MQTT_URL: url,
      MQTT_USERNAME: 'hallwatch-ingest',
      MQTT_PASSWORD: PASSWORDS['hallwatch-ingest'],
      MQTT_CA_FILE: join(dir, 'ca.pem'),
      MQTT_TOPIC_PREFIX: 'hallwatch/v1',
      MQTT_EMBEDDED_BROKER: 'off',
    });
    running = await startApp(StandaloneModule, env);
    await eventually(async () => expect((await fetch(`${running.baseUrl}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    broker?.kill('SIGTERM');
  });

  it('refuses anonymous clients, wrong passwords, plain TCP and a broker certificate from another CA', async () => {
    const attempt = (options: Parameters<typeof connectAsync>[1], target = url) =>
      connectAsync(target, { reconnectPeriod: 0, connectTimeout: 2000, ...options }).then(
        async (client) => {
          await client.endAsync();
          return 'connected';
        },
        (error: Error) => error.message,
      );
    expect(await attempt({ ca: ca() })).not.toBe('connected');
    expect(await attempt({ ca: ca(), username: OWN, password: 'guess' })).not.toBe('connected');
    expect(await attempt({ username: OWN, password: PASSWORDS[OWN] }, `mqtt://127.0.0.1:${port}`)).not.toBe('connected');
    expect(await attempt({ ca: readFileSync(join(dir, 'rogue.pem')), username: OWN, password: PASSWORDS[OWN] })).not.toBe('connected');
    expect(await attempt({ ca: ca(), username: OWN, password: PASSWORDS[OWN] })).toBe('connected');
  });

  it("stores a gateway's readings for its own site and never for another site's topics", async () => {
    const gateway = await connectAsync(url, { ca: ca(), username: OWN, password: PASSWORDS[OWN], clientId: 'gateway-own' });
    await gateway.publishAsync(`hallwatch/v1/${OWN}/main-incomer`, JSON.stringify({ ts: Date.now(), values: { kW: 101 } }), { qos: 1 });
    await gateway.publishAsync(`hallwatch/v1/${OTHER}/main-incomer`, JSON.stringify({ ts: Date.now(), values: { kW: 666 } }), { qos: 1 });
    await eventually(async () => expect(await latest(OWN)).toEqual([101]));

    // The other site's own gateway gets through: the broker dropped the forged message, not the topic.
    const other = await connectAsync(url, { ca: ca(), username: OTHER, password: PASSWORDS[OTHER], clientId: 'gateway-other' });
    await other.publishAsync(`hallwatch/v1/${OTHER}/main-incomer`, JSON.stringify({ ts: Date.now(), values: { kW: 202 } }), { qos: 1 });
    await eventually(async () => expect(await latest(OTHER)).toEqual([202]));
    await gateway.endAsync();
    await other.endAsync();
  });
});
