/**
 * Fan-out: `--clients` socket.io clients (default 1,000, each its own connection) on one built api
 * process's /live namespace, all subscribed to one site, while a device publishes readings over
 * MQTT (QoS 1) at a fixed rate through a built ingest process. Every reading's value is the time it
 * was published (ms on this process's clock), so each client computes its latency from the value.
 * Reports the latency of every delivery, each client's delivery rate, how many clients received
 * every reading, and the CPU of the api process and of this process (which hosts all the clients).
 * Run: npm run build && npx tsx --tsconfig tsconfig.json bench/fanout.bench.ts [--clients 1000] [--rate 100] [--per-message 10] [--seconds 30] [--warmup 3]
 * Uses the local PostgreSQL and Redis, and a Mosquitto of its own with deploy/mosquitto/mosquitto.conf.
 */
import { parseArgs } from 'node:util';
import { cpuUsage } from 'node:process';
import { connectAsync } from 'mqtt';
import { io, Socket } from 'socket.io-client';
import { LiveReading } from '@hallwatch/domain';
import { RegistryRepository } from '@hallwatch/registry';
import { createTestDatabase, freePort, isolatedEnv, startMosquitto, startProcess } from '@hallwatch/testing';
import { benchSite, machineLoad, megabytes, metric, percentile, publishAtRate, sleep, summary, waitHealthy } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '100' },
    'per-message': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
  },
});
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const PER_MESSAGE = Number(args['per-message']);
const SECONDS = Number(args.seconds);
const WARMUP_MS = Number(args.warmup) * 1000;
const MESSAGES_PER_SECOND = RATE / PER_MESSAGE;
const ASSETS = 10;
const SITE = 'bench-hall';

const site = benchSite(Array<number>(ASSETS).fill(PER_MESSAGE), SITE);

interface Listener {
  socket: Socket;
  received: number;
  latencies: number[];
}

async function connectClients(url: string, token: string, count: number): Promise<Listener[]> {
  const listeners: Listener[] = [];
  const wave = 50;
  for (let start = 0; start < count; start += wave) {
    const connected = await Promise.all(
      Array.from({ length: Math.min(wave, count - start) }, async () => {
        const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
        const reply = await socket.timeout(30_000).emitWithAck('subscribe', { site: SITE });
        if (!reply.ok) throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
        const listener: Listener = { socket, received: 0, latencies: [] };
        return listener;
      }),
    );
    listeners.push(...connected);
  }
  return listeners;
}

async function main(): Promise<void> {
  console.log(`machine before the run: ${machineLoad()}`);
  const broker = await startMosquitto();
  const testDb = await createTestDatabase('postgres');
  await new RegistryRepository(testDb.db).applySites([site], 'registry');
  const shared = isolatedEnv([site], { DATABASE_URL: testDb.url!, MQTT_URL: broker.url, LOG_LEVEL: 'warn' });
  const ingestEnv = { ...shared, HALLWATCH_APP: 'ingest', PORT: String(await freePort()) };
  const apiEnv = { ...shared, HALLWATCH_APP: 'api', PORT: String(await freePort()) };
  const ingest = startProcess('ingest', ingestEnv);
  const api = startProcess('api', apiEnv);
  await Promise.all([waitHealthy(ingestEnv.PORT), waitHealthy(apiEnv.PORT)]);

  const connectStart = Date.now();
  const listeners = await connectClients(`http://127.0.0.1:${apiEnv.PORT}/live`, shared.HALLWATCH_API_TOKEN, CLIENTS);
  console.log(`${CLIENTS} clients connected and subscribed in ${((Date.now() - connectStart) / 1000).toFixed(1)} s`);
  let measureFrom = Number.POSITIVE_INFINITY;
  for (const listener of listeners)
    listener.socket.on('readings', (batch: LiveReading[]) => {
      const now = performance.now();
      listener.received += batch.length;
      for (const reading of batch) if (reading.value >= measureFrom) listener.latencies.push(now - reading.value);
    });

  const device = await connectAsync(broker.url, { clientId: `${shared.MQTT_CLIENT_ID}-device` });
  const lastTs = new Map<number, number>();
  const topic = `${shared.MQTT_TOPIC_PREFIX}/${SITE}`;
  const apiCpu = () => metric(apiEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_cpu_seconds_total');
  const ingestCpu = () => metric(ingestEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_cpu_seconds_total');
  const before = { api: await apiCpu(), ingest: await ingestCpu(), bench: cpuUsage() };
  const started = Date.now();
  measureFrom = performance.now() + WARMUP_MS;
  const run = await publishAtRate(device, MESSAGES_PER_SECOND, SECONDS, (i, sentAt) => {
    const asset = i % ASSETS;
    const ts = Math.max(Date.now(), (lastTs.get(asset) ?? 0) + 1);
    lastTs.set(asset, ts);
    const value = Math.round(sentAt * 1000) / 1000;
    return {
      topic: `${topic}/meter-${asset}`,
      payload: JSON.stringify({ ts, values: Object.fromEntries(Array.from({ length: PER_MESSAGE }, (_, p) => [`p${p}`, value])) }),
    };
  });
  const publishSeconds = (Date.now() - started) / 1000;
  const benchCpu = cpuUsage(before.bench);
  const after = { api: await apiCpu(), ingest: await ingestCpu() };
  const expected = run.sent * PER_MESSAGE;
  // Wait until every client has everything, or nothing more arrived for 10 s.
  let last = -1;
  let since = Date.now();
  for (;;) {
    const total = listeners.reduce((sum, l) => sum + l.received, 0);
    if (total >= expected * CLIENTS) break;
    if (total !== last) [last, since] = [total, Date.now()];
    if (Date.now() - since > 10_000) break;
    await sleep(100);
  }
  const drainSeconds = (Date.now() - started) / 1000 - publishSeconds;
  const ingestRss = await metric(ingestEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_resident_memory_bytes');
  const apiRss = await metric(apiEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_resident_memory_bytes');

  const all: number[] = [];
  for (const listener of listeners) for (const latency of listener.latencies) all.push(latency);
  const perClientP99 = listeners.map((l) => summary(l.latencies).p99).sort((a, b) => a - b);
  const perClientRate = listeners.map((l) => l.received / publishSeconds).sort((a, b) => a - b);
  const complete = listeners.filter((l) => l.received === expected).length;
  const percent = (seconds: number) => `${Math.round((seconds / publishSeconds) * 100)}%`;

  console.log(
    `${CLIENTS} clients, ${RATE} readings/s (${MESSAGES_PER_SECOND} messages/s of ${PER_MESSAGE}, QoS 1) for ${SECONDS} s; ` +
      `latencies of readings published after the first ${WARMUP_MS / 1000} s`,
  );
  console.table({ 'publish -> each client, every delivery (ms)': summary(all) });
  console.table({
    'readings published': expected,
    'clients that received every reading': `${complete} of ${CLIENTS}`,
    'readings/s per client: min / median / max': [0, 50, 100].map((p) => percentile(perClientRate, p).toFixed(1)).join(' / '),
    "a client's p99 latency (ms): median / worst client": `${percentile(perClientP99, 50)} / ${perClientP99.at(-1)}`,
    'time after the last publish until the last delivery (s)': drainSeconds.toFixed(1),
  });
  console.log(
    `CPU while publishing (of one core): api ${percent(after.api - before.api)}, ingest ${percent(after.ingest - before.ingest)}, ` +
      `benchmark process with the ${CLIENTS} clients ${percent((benchCpu.user + benchCpu.system) / 1e6)}; ` +
      `publisher worst lag ${run.worstLagMs} ms`,
  );
  console.log(`machine at the end: ${machineLoad()}`);
  console.log(`resident memory at the end: ingest ${megabytes(ingestRss)} MB, api ${megabytes(apiRss)} MB`);

  for (const listener of listeners) listener.socket.close();
  await device.endAsync();
  await Promise.all([ingest.stop(), api.stop()]);
  await testDb.drop();
  await broker.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
