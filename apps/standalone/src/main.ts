import { Logger } from '@nestjs/common';
import { configureApi } from '@hallwatch/api';
import { AppConfig } from '@hallwatch/config';
import { createHttpApp, listen } from '@hallwatch/core';
import { startEmbeddedBrokerIfAbsent } from '@hallwatch/mqtt';
import { startSimulator } from '@hallwatch/simulators';
import { StandaloneModule } from './standalone.module';

/**
 * `npm start`: ingest, api and worker in one process on embedded defaults (embedded TimescaleDB
 * in DATA_DIR, the broker at MQTT_URL or an embedded one), with the demo city hall simulator.
 */
async function bootstrap(): Promise<void> {
  const config = AppConfig.fromProcessEnv();
  const logger = new Logger('Standalone');
  const broker =
    config.get('MQTT_EMBEDDED_BROKER') === 'auto'
      ? await startEmbeddedBrokerIfAbsent(config.get('MQTT_URL'), (message) => logger.log(message))
      : undefined;

  // Shutdown is ordered by hand: stop the simulator, drain and close the app, then the broker.
  const app = await createHttpApp(StandaloneModule, { shutdownHooks: false });
  configureApi(app);
  await listen(app);

  const simulator = config.get('SIMULATOR')
    ? await startSimulator({
        mqttUrl: config.get('MQTT_URL'),
        mqttUsername: config.get('MQTT_USERNAME'),
        mqttPassword: config.get('MQTT_PASSWORD'),
        topicPrefix: config.get('MQTT_TOPIC_PREFIX'),
        registryPath: config.get('SIMULATOR_REGISTRY'),
        seed: config.get('SIMULATOR_SEED'),
        speed: config.get('SIMULATOR_SPEED'),
        onLog: (message) => logger.log(message),
      })
    : undefined;
  if (simulator) logger.log(`simulator: demo city hall publishing (seed ${config.get('SIMULATOR_SEED')}); SIMULATOR=off starts without it`);

  const shutdown = async (signal: string) => {
    logger.log(`${signal}: shutting down`);
    await simulator?.stop();
    await app.close();
    await broker?.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void shutdown(signal));
}

void bootstrap();
