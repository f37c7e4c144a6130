import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { parse } from 'yaml';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, freePort, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const ROOT = join(__dirname, '../..');
const SITE = 'deployed-hall';

/**
 * What docker-compose.yml ships by default (issue #15: it published an anonymous broker on
 * 0.0.0.0:1883): the secure broker configuration with credentials generated at install time by
 * deploy/mosquitto/generate-credentials.sh, and Hallwatch signing in with the settings compose gives it.
 */
describe('the shipped broker defaults, with generated credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-deploy-'));
  const credentials = join(dir, 'credentials');
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const shipped = compose.services.ingest.environment!;
  let port: number;
  let broker: ReturnType<typeof spawn>;
  let env: Record<string, string>;
  let running: RunningApp;
  // Paths inside the containers, here in the test's folder.
  const local = (path: string) => path.replace(/^\/credentials\//, `${credentials}/`);

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    const owners = { BROKER_UID: execFileSync('id', ['-u', 'mosquitto']).toString().trim(), CLIENT_UID: String(process.getuid!()) };
    execFileSync('sh', [join(ROOT, 'deploy/mosquitto/generate-credentials.sh'), credentials], { env: { ...process.env, ...owners } });
    port = await freePort();
    const config = readFileSync(join(ROOT, 'deploy/mosquitto/mosquitto-secure.conf'), 'utf8')
      .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
      .replaceAll('/mosquitto/credentials/', `${credentials}/`)
      .replace(/^acl_file .*$/m, `acl_file ${join(ROOT, 'deploy/mosquitto/acl')}`)
      .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
    writeFileSync(join(dir, 'mosquitto.conf'), config, { mode: 0o644 });
    broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const ca = readFileSync(join(credentials, 'ca.pem'));
    const password = readFileSync(join(credentials, 'hallwatch-ingest.password'), 'utf8').trim();
    await eventually(async () =>
      (await connectAsync(`mqtts://localhost:${port}`, { ca, username: 'hallwatch-ingest', password, reconnectPeriod: 0, connectTimeout: 1000 })).endAsync(),
    );

    env = isolatedEnv([testSite(SITE)], {
      DATABASE_EMBEDDED_STORAGE: 'memory',
      // compose's mqtts://mosquitto:8883, here on localhost (the generated certificate names both)
      MQTT_URL: shipped.MQTT_URL.replace('mosquitto:8883', `localhost:${port}`),
      MQTT_USERNAME: shipped.MQTT_USERNAME,
      MQTT_PASSWORD_FILE: local(shipped.MQTT_PASSWORD_FILE),
      MQTT_CA_FILE: local(shipped.MQTT_CA_FILE),
      MQTT_TOPIC_PREFIX: 'hallwatch/v1',
      MQTT_EMBEDDED_BROKER: 'off',
    });
    running = await startApp(StandaloneModule, env);
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    broker?.kill('SIGTERM');
  });

  it('refuses anonymous and plain clients; Hallwatch signs in with the generated password; a gateway added later publishes its site', async () => {
    expect(shipped.MQTT_URL).toBe('mqtts://mosquitto:8883');
    const refused = (url: string, options: Parameters<typeof connectAsync>[1]) =>
      connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000, ...options }).then(
        async (client) => {
          await client.endAsync();
          return false;
        },
        () => true,
      );
    expect(await refused(`mqtts://localhost:${port}`, { ca: readFileSync(join(credentials, 'ca.pem')) })).toBe(true);
    expect(await refused(`mqtt://localhost:${port}`, {})).toBe(true);

    const added = execFileSync('sh', [join(ROOT, 'deploy/mosquitto/add-gateway.sh'), credentials, SITE], {
      env: { ...process.env, BROKER_UID: execFileSync('id', ['-u', 'mosquitto']).toString().trim() },
    }).toString();
    const password = /password ([0-9a-f]+)/.exec(added)![1];
    broker.kill('SIGHUP');
    const gateway = await eventually(() =>
      connectAsync(`mqtts://localhost:${port}`, {
        ca: readFileSync(join(credentials, 'ca.pem')),
        username: SITE,
        password,
        reconnectPeriod: 0,
        connectTimeout: 2000,
      }),
    );
    const ts = Date.now() - 1000;
    await gateway.publishAsync(`hallwatch/v1/${SITE}/main-incomer`, JSON.stringify({ ts, values: { kW: 17 } }), { qos: 1 });
    await gateway.endAsync();
    await eventually(async () => {
      const response = await fetch(
        `${running.baseUrl}/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?from=${ts - 1}&to=${ts + 1}`,
        { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } },
      );
      expect(((await response.json()) as { readings: Array<{ value: number }> }).readings.map((reading) => reading.value)).toEqual([17]);
    });
  });
});
