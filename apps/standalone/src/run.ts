import { INestApplication } from '@nestjs/common';
import { Server } from 'node:http';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { configureApi } from '@hallwatch/api';
import { AppConfig } from '@hallwatch/config';
import { createHttpApp, listen } from '@hallwatch/core';
import { startDemoInApp, startSimulator } from '@hallwatch/simulators';
import type { StandaloneServices } from './services';
import { StandaloneModule } from './standalone.module';

/**
 * Runs ingest, api and worker in this process on the services `prepareServices` found or started;
 * returns how to stop it all.
 */
export async function runApp(config: AppConfig, services: StandaloneServices, logger: Logger): Promise<() => Promise<void>> {
  const log = (message: string) => logger.info(message);
  // Shutdown is ordered by hand: stop the simulator, drain and close the app, then the broker and Redis.
  const app = await createHttpApp(StandaloneModule, { shutdownHooks: false });
  configureApi(app);
  await listen(app);

  // The demo's first start loads its history in the background; the simulator continues its registers.
  const demo = config.get('SIMULATOR')
    ? await startDemoInApp(app, {
        databaseUrl: config.get('DATABASE_URL'),
        registryPath: config.get('SIMULATOR_REGISTRY'),
        seed: config.get('SIMULATOR_SEED'),
        history: config.get('DEMO_HISTORY'),
        from: config.get('DEMO_HISTORY_FROM'),
        log,
      })
    : undefined;
  // A first start with the baseline year holds the live simulator until that year's registers are
  // rolled up (simulators/src/demo-history-plan.ts); the app answers meanwhile.
  const simulator = config.get('SIMULATOR')
    ? (async () => {
        await demo?.liveMayStart;
        return startSimulator({
          registers: demo?.registers,
          mqttUrl: config.get('MQTT_URL'),
          mqttUsername: config.get('MQTT_USERNAME'),
          mqttPassword: config.get('MQTT_PASSWORD'),
          topicPrefix: config.get('MQTT_TOPIC_PREFIX'),
          registryPath: config.get('SIMULATOR_REGISTRY'),
          seed: config.get('SIMULATOR_SEED'),
          speed: config.get('SIMULATOR_SPEED'),
          onLog: log,
        });
      })()
    : undefined;
  simulator?.catch((error: Error) => logger.error({ err: error }, `simulator: could not start: ${error.message}`));
  summarise(app, config, services, logger, Boolean(simulator));

  return async () => {
    await demo?.stop();
    await (await simulator?.catch(() => undefined))?.stop();
    await app.close();
    await services.close();
  };
}

/** The start-up summary: where to go, where the data lives, and what it runs on (embedded or not). */
function summarise(app: INestApplication, config: AppConfig, running: StandaloneServices, logger: Logger, simulator: boolean): void {
  const address = (app.getHttpServer() as Server).address() as { port: number } | string | null;
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : config.get('PORT')}`;
  const dataDir = resolve(config.get('DATA_DIR'));
  logger.info({ summary: { item: 'url', url } }, `Hallwatch is running at ${url} (dashboard; API under /api/v1, OpenAPI at /api/docs)`);
  logger.info({ summary: { item: 'data', dataDir } }, `data: ${dataDir}`);
  logger.info({ summary: { item: 'database', embedded: running.database.embedded } }, `database: ${running.database.where}`);
  logger.info({ summary: { item: 'redis', embedded: running.redis.embedded } }, `redis: ${running.redis.where}`);
  logger.info({ summary: { item: 'broker', embedded: running.broker.embedded } }, `broker: ${running.broker.where}`);
  logger.info(
    { summary: { item: 'simulator', on: simulator } },
    simulator
      ? `simulator: demo city hall publishing (seed ${config.get('SIMULATOR_SEED')}); SIMULATOR=off starts without it`
      : 'simulator: off',
  );
}
