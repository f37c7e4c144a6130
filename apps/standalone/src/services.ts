import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { connect } from 'mqtt';
import { Client } from 'pg';
import { AppConfig } from '@hallwatch/config';
import { EmbeddedBroker, mqttOptions, startEmbeddedBrokerIfAbsent } from '@hallwatch/mqtt';
import { findRedisServer, startEmbeddedRedis } from './embedded-redis';
import { StartupError } from './startup-error';

/** What the standalone app runs on, for the start-up summary. */
export interface StandaloneServices {
  database: { embedded: boolean; where: string };
  redis: { embedded: boolean; where: string; url: string };
  broker: { embedded: boolean; where: string };
  /** Stops what was started here (the embedded Redis and broker), last first. */
  close(): Promise<void>;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]'];
const PROBE_MS = 3000;

/** A URL fit for a log line or a message: no password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

const installRedis = () => (process.platform === 'darwin' ? 'brew install redis' : 'sudo apt install redis-server');
const installBroker = () => (process.platform === 'darwin' ? 'brew install mosquitto' : 'sudo apt install mosquitto');

/**
 * Checks the database, Redis and the broker before anything else starts, each within a few
 * seconds, and stands in for a missing local Redis or broker with one of its own. What cannot be
 * had is a StartupError: one line saying what is missing and what fixes it.
 */
export async function prepareServices(config: AppConfig, log: (message: string) => void): Promise<StandaloneServices> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    checkDataDir(config.get('DATA_DIR'));
    const database = await checkDatabase(config);
    const redis = await redisFor(config, log);
    if (redis.close) closers.push(redis.close);
    const broker = await brokerFor(config, log);
    if (broker.handle) closers.push(() => broker.handle!.close());
    return { database, redis, broker, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The data folder exists or can be made, and can be written (the embedded database spins, silent, where it cannot). */
function checkDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new StartupError(
      `DATA_DIR (${resolve(dataDir)}) cannot be written: ${code ?? message}`,
      'set DATA_DIR to a folder this user may write, e.g. DATA_DIR=./data',
    );
  }
}

async function checkDatabase(config: AppConfig): Promise<StandaloneServices['database']> {
  const url = config.get('DATABASE_URL');
  if (!url) {
    return config.get('DATABASE_EMBEDDED_STORAGE') === 'memory'
      ? { embedded: true, where: 'embedded TimescaleDB (PGlite) in memory: nothing is kept' }
      : { embedded: true, where: `embedded TimescaleDB (PGlite) in ${resolve(config.get('DATA_DIR'), 'db')}` };
  }
  await probeDatabase('DATABASE_URL', url);
  const replica = config.get('DATABASE_READ_URL');
  if (replica) await probeDatabase('DATABASE_READ_URL', replica);
  return { embedded: false, where: `PostgreSQL at ${shownUrl(url)}${replica ? `, reads from ${shownUrl(replica)}` : ''}` };
}

async function probeDatabase(name: string, url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: PROBE_MS, application_name: 'hallwatch' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const at = `${name} (${shownUrl(url)})`;
    if (code === '28P01' || code === '28000')
      throw new StartupError(`PostgreSQL at ${at} refused the sign-in: ${message}`, `correct the user and password in ${name}`);
    if (code === '3D000') {
      const parsed = new URL(url);
      const command = `createdb -h ${parsed.hostname} -p ${parsed.port || 5432}${parsed.username ? ` -U ${decodeURIComponent(parsed.username)}` : ''} ${parsed.pathname.slice(1)}`;
      throw new StartupError(`PostgreSQL at ${at} has no such database: ${message}`, command);
    }
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || /timeout/i.test(message)) {
      throw new StartupError(
        `nothing answers at ${at}: ${message || code}`,
        name === 'DATABASE_URL'
          ? 'unset DATABASE_URL to use the embedded TimescaleDB in DATA_DIR, or start PostgreSQL at that address'
          : `unset ${name}, or start the replica at that address`,
      );
    }
    throw new StartupError(`PostgreSQL at ${at} cannot be used: ${message}`, `check ${name}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

type RedisProbe = { ok: true } | { ok: false; nothingListens: boolean; message: string };

async function probeRedis(url: string): Promise<RedisProbe> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let failure: { code?: string; message: string } | undefined;
  client.on('error', (error: Error & { code?: string }) => (failure ??= error));
  try {
    await client.connect();
    await client.ping();
    return { ok: true };
  } catch (error) {
    const cause = failure ?? (error as { code?: string; message: string });
    return { ok: false, nothingListens: cause.code === 'ECONNREFUSED', message: cause.message };
  } finally {
    client.disconnect();
  }
}

async function redisFor(
  config: AppConfig,
  log: (message: string) => void,
): Promise<StandaloneServices['redis'] & { close?: () => Promise<void> }> {
  const url = config.get('REDIS_URL');
  const at = `REDIS_URL (${shownUrl(url)})`;
  const probe = await probeRedis(url);
  if (probe.ok) return { embedded: false, where: `Redis at ${shownUrl(url)}`, url };
  if (!probe.nothingListens)
    throw new StartupError(`the Redis at ${at} cannot be used: ${probe.message}`, 'correct REDIS_URL (its password, its TLS) or unset it');
  if (!LOCAL_HOSTS.includes(new URL(url).hostname)) {
    throw new StartupError(
      `nothing answers at ${at}: ${probe.message}`,
      'start that Redis, or unset REDIS_URL to have Hallwatch start a Redis of its own',
    );
  }
  if (config.get('REDIS_EMBEDDED') === 'off') {
    throw new StartupError(
      `nothing answers at ${at}: ${probe.message}`,
      `${installRedis()} (or set REDIS_EMBEDDED=auto to have Hallwatch start a redis-server of its own)`,
    );
  }
  const bin = config.get('REDIS_SERVER_BIN');
  const { found, lookedAt } = findRedisServer(bin);
  if (!found) {
    const looked = bin.includes('/') ? lookedAt[0] : `${bin} on PATH, in /usr/bin and /usr/local/bin`;
    throw new StartupError(
      `nothing answers at ${at} and there is no redis-server to start (looked for ${looked})`,
      `${installRedis()} (or set REDIS_URL to a running Redis)`,
    );
  }
  const redis = await startEmbeddedRedis(found, join(config.get('DATA_DIR'), 'redis'));
  log(`nothing answered at ${at}: started a Redis of its own (${found} ${redis.version}, 127.0.0.1:${redis.port}, data in ${redis.dir})`);
  return {
    embedded: true,
    where: `embedded redis-server ${redis.version} on 127.0.0.1:${redis.port} (pid ${redis.pid}), data in ${redis.dir}`,
    url: redis.url,
    close: redis.close,
  };
}

type BrokerProbe = { ok: true } | { ok: false; nothingListens: boolean; message: string; credentials?: boolean };

/** CONNACK refusals of the credentials: MQTT 3.1.1 (4, 5) and MQTT 5 (134, 135). */
const CREDENTIALS_REFUSED = [4, 5, 134, 135];

async function probeBroker(config: AppConfig): Promise<BrokerProbe> {
  let client: ReturnType<typeof connect> | undefined;
  try {
    const options = mqttOptions(config, {
      reconnectPeriod: 0,
      connectTimeout: PROBE_MS,
      clientId: `hallwatch-probe-${process.pid}`,
      clean: true,
    });
    return await new Promise<BrokerProbe>((resolveProbe) => {
      const timer = setTimeout(
        () => resolveProbe({ ok: false, nothingListens: false, message: `no answer within ${PROBE_MS / 1000} s` }),
        PROBE_MS + 500,
      );
      client = connect(config.get('MQTT_URL'), options);
      const done = (probe: BrokerProbe) => {
        clearTimeout(timer);
        resolveProbe(probe);
      };
      client.once('connect', () => done({ ok: true }));
      client.on('error', (error: Error & { code?: string | number }) =>
        done({
          ok: false,
          nothingListens: error.code === 'ECONNREFUSED',
          message: error.message,
          credentials: typeof error.code === 'number' && CREDENTIALS_REFUSED.includes(error.code),
        }),
      );
      client.once('close', () => done({ ok: false, nothingListens: false, message: 'the connection closed before the broker answered' }));
    });
  } catch (error) {
    return { ok: false, nothingListens: false, message: (error as Error).message };
  } finally {
    client?.end(true);
  }
}

async function brokerFor(
  config: AppConfig,
  log: (message: string) => void,
): Promise<StandaloneServices['broker'] & { handle?: EmbeddedBroker }> {
  const url = config.get('MQTT_URL');
  const at = `MQTT_URL (${shownUrl(url)})`;
  const probe = await probeBroker(config);
  if (probe.ok) return { embedded: false, where: `MQTT broker at ${shownUrl(url)}` };
  if (probe.credentials)
    throw new StartupError(
      `the MQTT broker at ${at} refused MQTT_USERNAME and MQTT_PASSWORD: ${probe.message}`,
      'correct MQTT_USERNAME and MQTT_PASSWORD',
    );
  if (!probe.nothingListens)
    throw new StartupError(
      `the MQTT broker at ${at} cannot be used: ${probe.message}`,
      'correct MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD, or unset MQTT_URL to use an embedded broker',
    );
  if (!LOCAL_HOSTS.includes(new URL(url).hostname)) {
    throw new StartupError(`nothing answers at ${at}: ${probe.message}`, 'start that broker, or unset MQTT_URL to use an embedded broker');
  }
  if (config.get('MQTT_EMBEDDED_BROKER') === 'off') {
    throw new StartupError(
      `nothing answers at ${at}: ${probe.message}`,
      `${installBroker()} (or set MQTT_EMBEDDED_BROKER=auto to use an embedded broker)`,
    );
  }
  const handle = await startEmbeddedBrokerIfAbsent(url, log).catch((error: Error) => {
    throw new StartupError(
      `nothing answers at ${at} and an embedded broker could not listen there: ${error.message}`,
      'set MQTT_URL to a free local port or a running broker',
    );
  });
  const port = new URL(url).port || '1883';
  return {
    embedded: Boolean(handle),
    where: handle ? `embedded MQTT broker (aedes, in memory) on port ${port}` : `MQTT broker at ${shownUrl(url)}`,
    handle,
  };
}
