import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  createServerDatabase,
  dropServerDatabase,
  eventually,
  freePort,
  startProcess,
  TEST_MQTT_URL,
  TEST_REDIS_URL,
} from '@hallwatch/testing';
import { startSecureMosquitto } from '../support/secure-mosquitto';

/**
 * `npm start` where a service is missing: it stands in for a local Redis or broker with one of its
 * own, or stops within 10 s with one line that says what is missing and what fixes it. And the
 * start-up summary, in readable lines (LOG_PRETTY=on) or JSON lines (not a terminal).
 */

interface Outcome {
  code: number | null;
  ms: number;
  output: string;
}

const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `hallwatch-${name}-`));

/** Starts the built standalone app and waits for it to exit (it must, within 20 s). */
async function runToExit(env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  const app = startProcess('standalone', { DATA_DIR: tempDir('refused'), SIMULATOR: 'off', LOG_LEVEL: 'info', ...env });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => app.child.kill('SIGKILL'), 20_000);
    app.child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  await app.stop();
  return { code, ms: Date.now() - started, output: app.output.join('') };
}

/** Starts the built standalone app and waits until it is healthy. */
async function startHealthy(env: Record<string, string>): Promise<{ app: AppProcess; baseUrl: string }> {
  const port = await freePort();
  const app = startProcess('standalone', { PORT: String(port), SIMULATOR: 'off', LOG_LEVEL: 'info', ...env });
  const exited = new Promise<string>((resolve) => app.child.once('exit', (code) => resolve(`exited ${code}`)));
  const healthy = eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200), { timeoutMs: 120_000 });
  const outcome = await Promise.race([healthy.then(() => 'healthy'), exited]);
  if (outcome !== 'healthy') throw new Error(`standalone ${outcome}:\n${app.output.join('').slice(-4000)}`);
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/** The process is gone (kill(pid, 0) fails with ESRCH), or the error kill gave. */
function processGone(pid: number): string {
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  }
}

describe('standalone app when a service is missing', () => {
  it('stops within 10 s with one line when no Redis answers and no redis-server can be started', async () => {
    const port = await freePort();
    const outcome = await runToExit({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_SERVER_BIN: '/nonexistent/hallwatch/redis-server',
      // an empty folder: no redis-server on PATH either
      PATH: tempDir('empty-path'),
    });
    expect(outcome).toEqual({
      code: 1,
      ms: expect.any(Number),
      output:
        `Hallwatch cannot start: nothing answers at REDIS_URL (redis://127.0.0.1:${port}) and there is no redis-server to start ` +
        '(looked for /nonexistent/hallwatch/redis-server). Fix: sudo apt install redis-server (or set REDIS_URL to a running Redis)\n',
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it('stops within 10 s with one line when the database at DATABASE_URL refuses', async () => {
    const port = await freePort();
    const outcome = await runToExit({ DATABASE_URL: `postgres://hallwatch:secret@127.0.0.1:${port}/hallwatch`, REDIS_URL: TEST_REDIS_URL });
    expect(outcome).toEqual({
      code: 1,
      ms: expect.any(Number),
      output:
        `Hallwatch cannot start: nothing answers at DATABASE_URL (postgres://hallwatch@127.0.0.1:${port}/hallwatch): ` +
        `connect ECONNREFUSED 127.0.0.1:${port}. Fix: unset DATABASE_URL to use the embedded TimescaleDB in DATA_DIR, or start PostgreSQL at that address\n`,
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it('stops within 10 s with one line when the broker refuses and no embedded one may stand in', async () => {
    const port = await freePort();
    const outcome = await runToExit({ MQTT_URL: `mqtt://127.0.0.1:${port}`, MQTT_EMBEDDED_BROKER: 'off', REDIS_URL: TEST_REDIS_URL });
    expect(outcome).toEqual({
      code: 1,
      ms: expect.any(Number),
      output:
        `Hallwatch cannot start: nothing answers at MQTT_URL (mqtt://127.0.0.1:${port}): connect ECONNREFUSED 127.0.0.1:${port}. ` +
        'Fix: sudo apt install mosquitto (or set MQTT_EMBEDDED_BROKER=auto to use an embedded broker)\n',
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it('stops within 10 s with one line when a broker on another host refuses (an embedded one cannot stand in there)', async () => {
    const port = await freePort();
    // 127.0.0.2 is this machine too, but not an address an embedded broker stands in for.
    const outcome = await runToExit({ MQTT_URL: `mqtt://127.0.0.2:${port}`, REDIS_URL: TEST_REDIS_URL });
    expect(outcome).toEqual({
      code: 1,
      ms: expect.any(Number),
      output:
        `Hallwatch cannot start: nothing answers at MQTT_URL (mqtt://127.0.0.2:${port}): connect ECONNREFUSED 127.0.0.2:${port}. ` +
        'Fix: start that broker, or unset MQTT_URL to use an embedded broker\n',
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it('stops within 10 s with one line when the broker at MQTT_URL refuses its credentials (no embedded broker tried on its port)', async () => {
    const broker = await startSecureMosquitto({ 'hallwatch-ingest': 'the-right-password' });
    try {
      const outcome = await runToExit({
        MQTT_URL: broker.url,
        MQTT_CA_FILE: broker.caFile,
        MQTT_USERNAME: 'hallwatch-ingest',
        MQTT_PASSWORD: 'a-wrong-password',
        REDIS_URL: TEST_REDIS_URL,
      });
      expect(outcome).toEqual({
        code: 1,
        ms: expect.any(Number),
        output:
          `Hallwatch cannot start: the MQTT broker at MQTT_URL (${broker.url}) refused MQTT_USERNAME and MQTT_PASSWORD: ` +
          'Connection refused: Not authorized. Fix: correct MQTT_USERNAME and MQTT_PASSWORD\n',
      });
      expect(outcome.ms).toBeLessThan(10_000);
    } finally {
      await broker.stop();
    }
  });

  it('stops within 10 s with one line when DATA_DIR cannot be made', async () => {
    const blocker = join(tempDir('blocked'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const outcome = await runToExit({ DATA_DIR: join(blocker, 'data'), REDIS_URL: TEST_REDIS_URL });
    expect(outcome).toMatchObject({
      code: 1,
      output: `Hallwatch cannot start: DATA_DIR (${blocker}/data) cannot be written: ENOTDIR. Fix: set DATA_DIR to a folder this user may write, e.g. DATA_DIR=./data\n`,
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });

  it('says which setting is wrong in one line', async () => {
    const outcome = await runToExit({ PORT: 'eighty' });
    expect(outcome).toMatchObject({
      code: 1,
      output: 'Hallwatch cannot start: Invalid configuration: PORT: Expected number, received nan\n',
    });
    expect(outcome.ms).toBeLessThan(10_000);
  });
});

describe('standalone app on what it finds', () => {
  let own: { app: AppProcess; baseUrl: string; dataDir: string; redisPort: number };
  let shared: { app: AppProcess; baseUrl: string; dataDir: string; databaseUrl: string };

  beforeAll(async () => {
    const ownDir = tempDir('own-redis');
    const redisPort = await freePort();
    const databaseUrl = await createServerDatabase();
    const sharedDir = tempDir('shared-services');
    const id = `${process.pid}-${Date.now()}`;
    // Both at once: each start takes seconds of loading and migrating.
    const [first, second] = await Promise.all([
      startHealthy({
        DATA_DIR: ownDir,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`,
        LOG_PRETTY: 'on',
      }),
      startHealthy({
        DATA_DIR: sharedDir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `services-${id}`,
        MQTT_URL: TEST_MQTT_URL,
        MQTT_CLIENT_ID: `hallwatch-services-${id}`,
        MQTT_TOPIC_PREFIX: `t-${id}/hallwatch/v1`,
        SPARKPLUG: 'off',
      }),
    ]);
    own = { ...first, dataDir: ownDir, redisPort };
    shared = { ...second, dataDir: sharedDir, databaseUrl };
  }, 180_000);

  afterAll(async () => {
    await own?.app.stop();
    await shared?.app.stop();
    if (shared) await dropServerDatabase(shared.databaseUrl);
  });

  it('starts a redis-server of its own when nothing answers at REDIS_URL, says so in readable lines, and stops it with the app', async () => {
    const token = readFileSync(join(own.dataDir, 'admin-token'), 'utf8').trim();
    const details = await fetch(`${own.baseUrl}/health/details`, { headers: { authorization: `Bearer ${token}` } });
    const health = (await details.json()) as { info: Record<string, Record<string, unknown>> };
    expect(health.info.redis).toMatchObject({ status: 'up' });

    const lines = own.app.output
      .join('')
      .split('\n')
      .filter((line) => line !== '');
    // Readable lines: time, level, [context] message; not one JSON line.
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    const summary = (what: string) => lines.find((line) => line.includes(`INFO: [Standalone] ${what}`));
    const port = new URL(own.baseUrl).port;
    expect(summary('Hallwatch is running')).toMatch(
      new RegExp(
        `^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] INFO: \\[Standalone\\] Hallwatch is running at http://localhost:${port} \\(dashboard; API under /api/v1, OpenAPI at /api/docs\\)$`,
      ),
    );
    expect(summary('data:')).toMatch(new RegExp(`\\] INFO: \\[Standalone\\] data: ${own.dataDir}$`));
    expect(summary('database:')).toMatch(
      new RegExp(`\\] INFO: \\[Standalone\\] database: embedded TimescaleDB \\(PGlite\\) in ${own.dataDir}/db$`),
    );
    expect(summary('broker:')).toMatch(/\] INFO: \[Standalone\] broker: embedded MQTT broker \(aedes, in memory\) on port \d+$/);
    const redisLine = summary('redis:');
    const match = new RegExp(
      `\\] INFO: \\[Standalone\\] redis: embedded redis-server [\\d.]+ on 127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)\\), data in ${own.dataDir}/redis$`,
    ).exec(redisLine ?? '');
    expect(match).not.toBeNull();
    const [, embeddedPort, pid] = match!;
    expect(Number(embeddedPort)).not.toBe(own.redisPort);
    expect(processGone(Number(pid))).toBe('alive');
    expect(readFileSync(join(own.dataDir, 'redis', 'redis.pid'), 'utf8').trim()).toBe(pid);
    expect(existsSync(join(own.dataDir, 'redis', 'appendonlydir'))).toBe(true);

    const exitCode = new Promise<number | null>((resolve) => own.app.child.once('exit', resolve));
    await own.app.stop('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(processGone(Number(pid))).toBe('ESRCH');
  });

  it('logs JSON lines when stdout is not a terminal, with a summary naming the services it found (none embedded)', () => {
    const lines = shared.app.output
      .join('')
      .split('\n')
      .filter((line) => line !== '');
    const entries = lines.map((line) => {
      try {
        return JSON.parse(line) as { msg?: string; summary?: Record<string, unknown> };
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    const summary = Object.fromEntries(entries.filter((entry) => entry.summary).map((entry) => [entry.summary!.item, entry]));
    const port = new URL(shared.baseUrl).port;
    const database = new URL(shared.databaseUrl);
    expect(summary.url).toMatchObject({
      summary: { item: 'url', url: `http://localhost:${port}` },
      msg: `Hallwatch is running at http://localhost:${port} (dashboard; API under /api/v1, OpenAPI at /api/docs)`,
    });
    expect(summary.data).toMatchObject({ summary: { item: 'data', dataDir: shared.dataDir }, msg: `data: ${shared.dataDir}` });
    expect(summary.database).toMatchObject({
      summary: { item: 'database', embedded: false },
      msg: `database: PostgreSQL at postgres://${database.username}@${database.host}${database.pathname}`,
    });
    expect(summary.redis).toMatchObject({ summary: { item: 'redis', embedded: false }, msg: `redis: Redis at ${TEST_REDIS_URL}` });
    expect(summary.broker).toMatchObject({ summary: { item: 'broker', embedded: false }, msg: `broker: MQTT broker at ${TEST_MQTT_URL}` });
  });
});
