#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSimulator } from './index';

const USAGE = `hallwatch simulator: publishes the buildings of a registry file over MQTT (native v1, QoS 1)

  --mqtt-url URL        broker (default mqtt://127.0.0.1:1883)
  --registry FILE       registry file (default registry/demo-city-hall.yaml)
  --seed N              same seed, same values (default 104)
  --speed X             1 = real time, 60 = one simulated minute per second (default 1)
  --tick MS             simulated milliseconds between readings (default 5000)
  --from ISO --to ISO   back-fill this range as fast as the broker acknowledges, then exit
  --topic-prefix P      (default hallwatch/v1)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      registry: { type: 'string', default: 'registry/demo-city-hall.yaml' },
      seed: { type: 'string', default: '104' },
      speed: { type: 'string', default: '1' },
      tick: { type: 'string', default: '5000' },
      from: { type: 'string' },
      to: { type: 'string' },
      'topic-prefix': { type: 'string', default: 'hallwatch/v1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const simulator = await startSimulator({
    mqttUrl: values['mqtt-url'],
    registryPath: values.registry,
    seed: Number(values.seed),
    speed: Number(values.speed),
    tickMs: Number(values.tick),
    topicPrefix: values['topic-prefix'],
    from: values.from ? new Date(values.from) : undefined,
    to: values.to ? new Date(values.to) : undefined,
    onLog: (message) => console.log(message),
  });
  const report = setInterval(() => {
    const stats = simulator.stats();
    console.log(`sent ${stats.sent}, acknowledged ${stats.acknowledged}, ${stats.ratePerSecond} messages/s`);
  }, 5000);
  const stop = async () => {
    clearInterval(report);
    await simulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await simulator.done;
  clearInterval(report);
  const stats = simulator.stats();
  console.log(`done: sent ${stats.sent}, acknowledged ${stats.acknowledged}`);
  await simulator.stop();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
