import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { countReadings, generatePortfolio, readingsPerTick, startSimulator, tickMsForRate, writeRegistry } from '@hallwatch/simulators';
import { eventually, startMosquitto, TestBroker } from '@hallwatch/testing';

/** A subscriber counting the messages and readings under a prefix. */
/**
 * A broker of the test's own with the project's configuration: the machine's stock Mosquitto keeps
 * at most 1,000 queued QoS 1 messages for a subscriber, and drops the rest when the test process is
 * slow to read them (a loaded CI machine), which is not what this test is about.
 */
let broker: TestBroker;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(() => broker?.stop());

async function subscribe(prefix: string): Promise<{ client: MqttClient; received: { messages: number; readings: number } }> {
  const client = await connectAsync(broker.url);
  const received = { messages: 0, readings: 0 };
  client.on('message', (_topic, payload) => {
    received.messages++;
    received.readings += countReadings(payload.toString());
  });
  await client.subscribeAsync(`${prefix}/#`, { qos: 1 });
  return { client, received };
}

describe('a generated portfolio through the real broker', () => {
  it('runs 20 buildings x 100 points at a target rate: every acknowledged reading is received, and the rate is reported', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
    const { sites } = generatePortfolio({ buildings: 20, pointsPerBuilding: 100, seed: 104 });
    const { client, received } = await subscribe(prefix);
    const perTick = readingsPerTick(sites, 104, Date.now());
    expect(perTick).toBeGreaterThan(1500); // 2,000 points less the derived ones

    const simulator = await startSimulator({ mqttUrl: broker.url, sites, seed: 104, rate: 3000, topicPrefix: prefix });
    // A few ticks: the tick comes from the rate (about 0.6 s for the 1,900 readings of a tick).
    await eventually(() => expect(simulator.stats().readingsAcknowledged).toBeGreaterThanOrEqual(4 * perTick), { timeoutMs: 30_000 });
    await simulator.stop();

    const stats = simulator.stats();
    expect(stats.tickMs).toBe(tickMsForRate(perTick, 3000));
    expect(stats.targetReadingsPerSecond).toBe(3000);
    expect(stats.readingsPerSecond).toBeGreaterThan(0);
    expect(stats.ratePerSecond).toBeGreaterThan(0);
    expect(stats.readingsAcknowledged).toBe(stats.readingsSent);
    expect(stats.acknowledged).toBe(stats.sent);
    expect(stats.readingsAcknowledged % perTick).toBe(0); // whole ticks of every building
    await eventually(() => expect(received).toEqual({ messages: stats.acknowledged, readings: stats.readingsAcknowledged }));
    await client.endAsync();
  });

  it('reads the same portfolio back from a written registry folder, as the system would', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
    const portfolio = generatePortfolio({ buildings: 5, pointsPerBuilding: 120, seed: 9 });
    const folder = join(mkdtempSync(join(tmpdir(), 'portfolio-')), 'registry');
    writeRegistry(folder, portfolio);
    const { client, received } = await subscribe(prefix);
    const from = new Date('2025-07-01T00:00:00+08:00');
    const simulator = await startSimulator({
      mqttUrl: broker.url,
      registryPath: folder,
      seed: 9,
      tickMs: 900_000,
      topicPrefix: prefix,
      from,
      to: new Date('2025-07-01T01:00:00+08:00'),
    });
    await simulator.done;
    const perTick = readingsPerTick(portfolio.sites, 9, from.getTime());
    expect(simulator.stats()).toMatchObject({ readingsSent: 4 * perTick, readingsAcknowledged: 4 * perTick });
    await eventually(() => expect(received.readings).toBe(4 * perTick));
    await simulator.stop();
    await client.endAsync();
    await expect(startSimulator({ mqttUrl: broker.url, sites: portfolio.sites, rate: 100, from, to: new Date() })).rejects.toThrow(
      /live run/,
    );
  });
});
