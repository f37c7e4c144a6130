import { connectAsync } from 'mqtt';
import { SiteDefinition } from '@hallwatch/registry';
import { BuildingModel } from './building.model';
import { ControlApi, startControlApi } from './control-api';
import { ActiveFaults, applyDeliveryFaults, applyValueFaults, createFaultMemory, FaultSpecError } from './faults';
import { DemoFaultRotation } from './demo-faults';
import { countReadings, readingsPerTick, SimMessage, tickMessages, tickMsForRate } from './messages';
import { SimulatorOpcuaServer } from './opcua-server';
import { readRegistry } from './portfolio';
import { SparkplugOutput } from './sparkplug-output';

export { BuildingModel, occupancy } from './building.model';
export { DemoFaultRotation, demoFaultPlan } from './demo-faults';
export type { DemoFaultPlan } from './demo-faults';
export { DEMO_HISTORY_FROM, demoHistoryStatus, startDemo, startDemoInApp } from './demo-start';
export type { DemoHistoryStatus, DemoStart, DemoStartOptions } from './demo-start';
export { demoHistory, demoRegisterStarts, historySchedule, inHistory } from './demo-history';
export type { HistoryOptions, HistoryTick } from './demo-history';
export { countReadings, generateMessages, readingsPerTick, tickMessages, tickMsForRate } from './messages';
export {
  generatePortfolio,
  parsePortfolioSize,
  PortfolioSpecError,
  readRegistry,
  registryYaml,
  validateRegistry,
  writeRegistry,
} from './portfolio';
export type { PortfolioOptions } from './portfolio';
export { isTaiwanHoliday, isTaiwanMakeUpWorkday, isTaiwanWorkday, taiwanHolidays, taiwanHolidaysOn } from './taiwan-holidays';
export type { TaiwanHoliday } from './taiwan-holidays';
export type { SimMessage } from './messages';
export { ActiveFaults, FaultSpecError, parseScenario } from './faults';
export type { Fault, FaultSpec } from './faults';
export { opcuaPointNodes, opcuaRegistryEntry, opcuaUrl, SimulatorOpcuaServer } from './opcua-server';
export type { OpcuaPointNode, OpcuaRegistryEntry } from './opcua-server';
export { SparkplugOutput, SparkplugSession, sparkplugMetrics } from './sparkplug-output';

/** What goes over MQTT: native v1, Sparkplug B, both, or nothing (only the OPC UA server). */
export const SIMULATOR_OUTPUTS = ['native', 'sparkplug', 'both', 'none'] as const;
export type SimulatorOutput = (typeof SIMULATOR_OUTPUTS)[number];

export interface SimulatorOptions {
  mqttUrl: string;
  /** a registry file, or a folder of them (as REGISTRY_DIR); not needed when `sites` is given */
  registryPath?: string;
  /** the sites to simulate (e.g. a generated portfolio), instead of reading `registryPath` */
  sites?: SiteDefinition[];
  /** live runs: target readings per second across all points; sets the tick interval from the readings per tick */
  rate?: number;
  seed?: number;
  /** 1 = real time, 60 = a simulated minute per second */
  speed?: number;
  /** simulated time between ticks */
  tickMs?: number;
  topicPrefix?: string;
  /** back-fill: when given, runs from `from` to `to` as fast as the broker acknowledges, then resolves `done` */
  from?: Date;
  to?: Date;
  onLog?: (message: string) => void;
  mqttUsername?: string;
  mqttPassword?: string;
  /** fault specs in force from the start (see faults.ts); an invalid one rejects with FaultSpecError */
  faults?: unknown[];
  /** serve the control API (GET/POST /faults, DELETE /faults/:id) on 127.0.0.1 at this port; 0 picks a free one */
  controlPort?: number;
  /** MQTT output (default native); `none` needs `opcuaPort` */
  output?: SimulatorOutput;
  /** Sparkplug B group id for every site (default: each site's key); edge nodes are `<sparkplugNodePrefix><site>` */
  sparkplugGroup?: string;
  sparkplugNodePrefix?: string;
  /** serve the same values over OPC UA on this port (0 picks a free one), beside the MQTT output */
  opcuaPort?: number;
  /** the OPC UA server's PKI folder (default: a temporary one, removed on stop) */
  opcuaPkiFolder?: string;
  /** where each site's registers (`asset/point`) stand at the first tick, by site key: a meter that counted before (see startDemo) */
  registers?: Record<string, Readonly<Record<string, number>>>;
}

export interface SimulatorStats {
  sent: number;
  acknowledged: number;
  ratePerSecond: number;
  /** readings (values) in the native messages sent and acknowledged, and acknowledged readings per second since the start */
  readingsSent: number;
  readingsAcknowledged: number;
  readingsPerSecond: number;
  /** the `rate` asked for, to read `readingsPerSecond` against */
  targetReadingsPerSecond?: number;
  /** simulated milliseconds between ticks (derived from `rate` when given) */
  tickMs: number;
}

export interface SimulatorHandle {
  stop(): Promise<void>;
  stats(): SimulatorStats;
  done: Promise<void>;
  /** the faults in force, to change in-process as the control API does */
  faults: ActiveFaults;
  /** where the control API listens, when `controlPort` was given */
  controlUrl?: string;
  /** the OPC UA server, when `opcuaPort` was given: its `url` and `registryEntries()` */
  opcua?: SimulatorOpcuaServer;
}

/**
 * Publishes the buildings of a registry file over MQTT (native v1 with QoS 1, Sparkplug B, or both)
 * and serves them over OPC UA when asked: live, accelerated or back-fill.
 */
export async function startSimulator(options: SimulatorOptions): Promise<SimulatorHandle> {
  if (!options.sites && options.registryPath === undefined) throw new Error('a registry: registryPath or sites');
  const sites = options.sites ?? readRegistry(options.registryPath!);
  const seed = options.seed ?? 104;
  const speed = options.speed ?? 1;
  if (options.rate !== undefined && options.from && options.to)
    throw new Error('rate paces a live run; a back-fill runs as fast as the broker acknowledges');
  const tickMs =
    options.rate === undefined ? (options.tickMs ?? 5000) : tickMsForRate(readingsPerTick(sites, seed, Date.now()), options.rate, speed);
  const prefix = options.topicPrefix ?? 'hallwatch/v1';
  const faults = new ActiveFaults(sites);
  (options.faults ?? []).forEach((spec, i) => {
    try {
      faults.add(spec);
    } catch (error) {
      throw error instanceof FaultSpecError ? new FaultSpecError(`fault ${i + 1}: ${error.message}`) : error;
    }
  });
  const output = options.output ?? 'native';
  if (output === 'none' && options.opcuaPort === undefined) throw new Error('output none needs an OPC UA port: nothing would be served');
  const native = output === 'native' || output === 'both';
  const client = native
    ? await connectAsync(options.mqttUrl, {
        clientId: `hallwatch-simulator-${seed}-${process.pid}`,
        username: options.mqttUsername,
        password: options.mqttPassword,
        reconnectPeriod: 1000,
      })
    : undefined;
  let control: ControlApi | undefined;
  let sparkplug: SparkplugOutput | undefined;
  let opcua: SimulatorOpcuaServer | undefined;
  try {
    control = options.controlPort === undefined ? undefined : await startControlApi(faults, options.controlPort);
    if (output === 'sparkplug' || output === 'both')
      sparkplug = await SparkplugOutput.start(sites, {
        mqttUrl: options.mqttUrl,
        username: options.mqttUsername,
        password: options.mqttPassword,
        group: options.sparkplugGroup,
        nodePrefix: options.sparkplugNodePrefix,
        clientTag: `${seed}-${process.pid}`,
        onLog: options.onLog,
      });
    if (options.opcuaPort !== undefined)
      opcua = await SimulatorOpcuaServer.start(sites, { port: options.opcuaPort, pkiFolder: options.opcuaPkiFolder, onLog: options.onLog });
  } catch (error) {
    await control?.close();
    await sparkplug?.stop();
    await client?.endAsync();
    throw error;
  }
  // Each site has its own fault memory; without faults a tick is exactly tickMessages of the model.
  const models = sites.map((site) => ({
    model: new BuildingModel(site, seed, { registers: options.registers?.[site.key] }),
    context: { site, seed, memory: createFaultMemory() },
  }));
  const counters = { sent: 0, acknowledged: 0, readingsSent: 0, readingsAcknowledged: 0, startedAt: Date.now() };
  let stopped = false;

  const publish = async (messages: SimMessage[]) => {
    counters.sent += messages.length;
    await Promise.all([
      ...messages.map((message) => {
        const readings = countReadings(message.payload);
        counters.readingsSent += readings;
        return client!.publishAsync(message.topic, message.payload, { qos: 1 }).then(() => {
          counters.acknowledged++;
          counters.readingsAcknowledged += readings;
        });
      }),
      sparkplug?.flush(),
    ]);
  };
  // One sample per site and tick, shared by every output: the model's registers and noise advance
  // once. The native messages are faultedTickMessages' exactly (value faults, then delivery faults).
  const tick = (ts: number) =>
    models.flatMap(({ model, context }) => {
      const values = applyValueFaults(model.sample(ts), faults.list(), ts, context);
      sparkplug?.tick(context.site.key, ts, values);
      opcua?.update(context.site.key, ts, values);
      return native
        ? applyDeliveryFaults(tickMessages({ sample: () => values }, context.site, ts, prefix), faults.list(), ts, context)
        : [];
    });

  let done: Promise<void>;
  if (options.from && options.to) {
    const to = options.to.getTime();
    done = (async () => {
      for (let ts = options.from!.getTime(); ts < to && !stopped; ts += tickMs) await publish(tick(ts));
      options.onLog?.(`back-fill done: ${counters.sent} messages from ${options.from!.toISOString()} to ${options.to!.toISOString()}`);
    })();
  } else {
    // Simulated time starts now and runs `speed` times faster than the wall clock.
    const startReal = Date.now();
    let simulated = startReal;
    const demoFaults = new DemoFaultRotation(sites, startReal);
    done = new Promise<void>((resolve) => {
      const timer = setInterval(
        () => {
          if (stopped) {
            clearInterval(timer);
            resolve();
            return;
          }
          const target = startReal + (Date.now() - startReal) * speed;
          const batch: SimMessage[] = [];
          while (simulated <= target) {
            for (const spec of demoFaults.due(simulated)) {
              const fault = faults.add(spec);
              options.onLog?.(
                `demo fault: ${fault.kind} on ${fault.asset} for ${Math.round(((fault.to ?? simulated) - simulated) / 60_000)} min`,
              );
            }
            for (const message of tick(simulated)) batch.push(message); // a spread overflows the stack at portfolio sizes
            simulated += tickMs;
          }
          if (batch.length > 0 || sparkplug) publish(batch).catch((error: Error) => options.onLog?.(`publish failed: ${error.message}`));
        },
        Math.max(20, Math.min(1000, tickMs / speed)),
      );
    });
  }

  return {
    done,
    faults,
    controlUrl: control?.url,
    opcua,
    stats: () => {
      const acknowledged = counters.acknowledged + (sparkplug?.stats().acknowledged ?? 0);
      return {
        sent: counters.sent + (sparkplug?.stats().sent ?? 0),
        acknowledged,
        ratePerSecond: Math.round((acknowledged / Math.max(1, Date.now() - counters.startedAt)) * 1000),
        readingsSent: counters.readingsSent,
        readingsAcknowledged: counters.readingsAcknowledged,
        readingsPerSecond: Math.round((counters.readingsAcknowledged / Math.max(1, Date.now() - counters.startedAt)) * 1000),
        targetReadingsPerSecond: options.rate,
        tickMs,
      };
    },
    stop: async () => {
      stopped = true;
      await done.catch(() => undefined);
      await control?.close();
      await sparkplug?.stop();
      await opcua?.stop();
      await client?.endAsync();
    },
  };
}
