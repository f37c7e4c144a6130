#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRegistryFile } from '@hallwatch/registry';
import { opcuaRegistryYaml, opcuaUrl } from './opcua-server';
import { parseScenario, SIMULATOR_OUTPUTS, SimulatorOutput, startSimulator } from './index';
import { generatePortfolio, parsePortfolioSize, validateRegistry, writeRegistry } from './portfolio';

const USAGE = `hallwatch simulator: publishes the buildings of a registry file over MQTT (native v1 with QoS 1, or Sparkplug B) and OPC UA

  --mqtt-url URL        broker (default mqtt://127.0.0.1:1883)
  --registry FILE       registry file (default registry/demo-city-hall.yaml)
  --seed N              same seed, same values (default 104)
  --speed X             1 = real time, 60 = one simulated minute per second (default 1)
  --tick MS             simulated milliseconds between readings (default 5000)
  --from ISO --to ISO   back-fill this range as fast as the broker acknowledges, then exit
  --topic-prefix P      (default hallwatch/v1)
  --fault JSON          a fault in force from the start, e.g. '{"kind":"stuck","asset":"weather","point":"outdoorT"}' (repeatable)
  --scenario FILE       YAML or JSON file with a faults: list
  --control-port N      serve GET/POST /faults and DELETE /faults/:id on 127.0.0.1:N (0 picks a free port)
  --output O            native (default), sparkplug, both, or none (only the OPC UA server)
  --sparkplug-group G   Sparkplug B group id for every site (default: the site key); edge nodes are sim-<site>
  --opcua-port N        also serve the values over OPC UA on N (0 picks a free port)
  --opcua-pki DIR       the OPC UA server's PKI folder (default: a temporary one)
  --print-opcua-registry  print the registry opcua: entries for the server at --opcua-port (default 4840)
                        and --opcua-host (default 127.0.0.1), then exit
  --portfolio NxM       instead of --registry: N generated buildings of about M points each, from --seed
  --write-registry PATH save the generated portfolio: a .yaml file, or a folder of one file per building (REGISTRY_DIR)
  --rate N              live runs: target readings per second across all points; sets the tick from the point count
  Portfolio, rate and holidays: simulators/PORTFOLIO.md
  Fault kinds and examples: simulators/FAULTS.md; outputs: simulators/OUTPUTS.md`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      registry: { type: 'string', default: 'registry/demo-city-hall.yaml' },
      seed: { type: 'string', default: '104' },
      speed: { type: 'string', default: '1' },
      tick: { type: 'string', default: '5000' },
      portfolio: { type: 'string' },
      'write-registry': { type: 'string' },
      rate: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'topic-prefix': { type: 'string', default: 'hallwatch/v1' },
      fault: { type: 'string', multiple: true, default: [] },
      scenario: { type: 'string' },
      'control-port': { type: 'string' },
      output: { type: 'string', default: 'native' },
      'sparkplug-group': { type: 'string' },
      'opcua-port': { type: 'string' },
      'opcua-pki': { type: 'string' },
      'opcua-host': { type: 'string', default: '127.0.0.1' },
      'print-opcua-registry': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const faults = [...(values.scenario ? parseScenario(readFileSync(values.scenario, 'utf8')) : []), ...values.fault.map(parseFaultFlag)];
  const controlPort = values['control-port'] === undefined ? undefined : Number(values['control-port']);
  if (controlPort !== undefined && !(Number.isInteger(controlPort) && controlPort >= 0 && controlPort <= 65535))
    throw new Error(`--control-port ${values['control-port']}: a port number 0-65535`);
  if (!(SIMULATOR_OUTPUTS as readonly string[]).includes(values.output))
    throw new Error(`--output ${values.output}: one of ${SIMULATOR_OUTPUTS.join(', ')}`);
  const opcuaPort = values['opcua-port'] === undefined ? undefined : Number(values['opcua-port']);
  if (opcuaPort !== undefined && !(Number.isInteger(opcuaPort) && opcuaPort >= 0 && opcuaPort <= 65535))
    throw new Error(`--opcua-port ${values['opcua-port']}: a port number 0-65535`);
  if (values['print-opcua-registry']) {
    console.log(opcuaRegistryYaml(loadRegistryFile(values.registry).sites, opcuaUrl(opcuaPort || 4840, values['opcua-host'])));
    return;
  }
  const portfolio =
    values.portfolio === undefined
      ? undefined
      : validateRegistry(generatePortfolio({ ...parsePortfolioSize(values.portfolio), seed: Number(values.seed) }));
  if (portfolio) {
    const points = portfolio.sites.reduce((sum, site) => sum + site.assets.reduce((inSite, asset) => inSite + asset.points.length, 0), 0);
    console.log(`portfolio: ${portfolio.sites.length} buildings, ${points} points (seed ${values.seed})`);
  }
  if (values['write-registry'] !== undefined) {
    if (!portfolio) throw new Error('--write-registry saves a generated portfolio: give --portfolio NxM');
    const files = writeRegistry(values['write-registry'], portfolio);
    console.log(`registry written: ${files.length === 1 ? files[0] : `${files.length} files in ${values['write-registry']}`}`);
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0))
    throw new Error(`--rate ${values.rate}: readings per second, more than 0`);
  const simulator = await startSimulator({
    mqttUrl: values['mqtt-url'],
    registryPath: values.registry,
    sites: portfolio?.sites,
    rate,
    seed: Number(values.seed),
    speed: Number(values.speed),
    tickMs: Number(values.tick),
    topicPrefix: values['topic-prefix'],
    from: values.from ? new Date(values.from) : undefined,
    to: values.to ? new Date(values.to) : undefined,
    onLog: (message) => console.log(message),
    faults,
    controlPort,
    output: values.output as SimulatorOutput,
    sparkplugGroup: values['sparkplug-group'],
    opcuaPort,
    opcuaPkiFolder: values['opcua-pki'],
  });
  const inForce = simulator.faults.list().map((fault) => `${fault.id} ${fault.kind} ${fault.asset}`);
  if (inForce.length > 0) console.log(`faults in force: ${inForce.join(', ')}`);
  if (simulator.controlUrl) console.log(`control API on ${simulator.controlUrl}/faults`);
  if (simulator.opcua) console.log(`registry entry for it: --print-opcua-registry --opcua-port ${simulator.opcua.port}`);
  const report = setInterval(() => {
    const stats = simulator.stats();
    const target =
      stats.targetReadingsPerSecond === undefined ? '' : ` (target ${stats.targetReadingsPerSecond}/s, tick ${stats.tickMs} ms)`;
    console.log(
      `sent ${stats.sent}, acknowledged ${stats.acknowledged}, ${stats.ratePerSecond} messages/s; ` +
        `readings sent ${stats.readingsSent}, acknowledged ${stats.readingsAcknowledged}, ${stats.readingsPerSecond}/s${target}`,
    );
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

function parseFaultFlag(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`--fault ${text}: not JSON; write it as '{"kind":"offline","asset":"main-incomer"}'`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
