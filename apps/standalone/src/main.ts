import pino from 'pino';
import { AppConfig, ConfigError } from '@hallwatch/config';
import { loggerOptions, prettyLogStream } from '@hallwatch/core';
import type * as Run from './run';
import { prepareServices, StandaloneServices } from './services';
import { StartupError } from './startup-error';

let services: StandaloneServices | undefined;
let stopApp: (() => Promise<void>) | undefined;

/**
 * `npm start`: ingest, api and worker in one process on embedded defaults (embedded TimescaleDB
 * in DATA_DIR, the broker at MQTT_URL or an embedded one, Redis at REDIS_URL or a redis-server of
 * its own), with the demo city hall simulator. What it cannot have stops it within seconds, with
 * one line saying what is missing and what fixes it.
 */
async function bootstrap(): Promise<void> {
  const config = AppConfig.fromProcessEnv();
  const { stream, warning } = prettyLogStream(config);
  const logger = (stream ? pino(loggerOptions(config), stream) : pino(loggerOptions(config))).child({ context: 'Standalone' });
  if (warning) logger.warn(warning);
  const log = (message: string) => logger.info(message);
  // A signal during start-up stops what was started so far (a redis-server of its own included).
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: shutting down`);
      void (stopApp ?? (async () => services?.close()))().finally(() => process.exit(0));
    });
  }

  services = await prepareServices(config, log);
  // The app's modules read their configuration from the environment: they get the Redis found here.
  // eslint-disable-next-line no-restricted-syntax
  process.env.REDIS_URL = services.redis.url;

  // The app itself loads only now: its modules take seconds to load, a missing service is said at once.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runApp } = require('./run') as typeof Run;
  stopApp = await runApp(config, services, logger);
}

bootstrap().catch(async (error: unknown) => {
  await services?.close();
  if (error instanceof StartupError) process.stderr.write(`${error.line}\n`);
  else if (error instanceof ConfigError) process.stderr.write(`Hallwatch cannot start: ${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
