/**
 * Latency at a fixed rate, against the broker's own latency measured in the same run:
 *   - broker: publish (QoS 1) -> a plain MQTT subscriber, same rate, same messages;
 *   - stored: publish -> the readings committed in PostgreSQL by a built ingest process (a
 *     statement trigger created on the benchmark's database sends the stored values with NOTIFY,
 *     which PostgreSQL delivers at commit);
 *   - dashboard: publish -> a socket.io client on a built api process's /live namespace.
 * Every reading's value is the time it was published (ms on this process's clock), so each
 * receiver computes its latency from the value alone.
 * With `--backfill-readings N`, a gateway catching up publishes N readings of the same meters' last
 * year (500 times of all their points a message, QoS 1, as fast as the broker acknowledges) while
 * the live readings are published: the latencies are still those of the live readings only.
 * Run: npm run build && npx tsx --tsconfig tsconfig.json bench/latency.bench.ts [--rate 2000] [--seconds 30] [--per-message 1] [--points 100] [--warmup 3] [--backfill-readings 0] [--profile DIR]
 * Uses the local PostgreSQL and Redis, and a Mosquitto of its own with deploy/mosquitto/mosquitto.conf.
 */
import { parseArgs } from 'node:util';
import { cpuUsage } from 'node:process';
import { connectAsync, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { LiveReading } from '@hallwatch/domain';
import { RegistryRepository } from '@hallwatch/registry';
import { createTestDatabase, freePort, isolatedEnv, startMosquitto, startProcess } from '@hallwatch/testing';
import { benchSite, machineLoad, megabytes, metric, publishAtRate, sleep, summary, waitHealthy } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '30' },
    'per-message': { type: 'string', default: '1' },
    points: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '3' },
    'backfill-readings': { type: 'string', default: '0' },
    profile: { type: 'string' },
  },
});
const BACKFILL_READINGS = Number(args['backfill-readings']);
/** Back-filled readings carry this value: receivers tell them from live ones (whose value is their publish time). */
const BACKFILL_VALUE = -1;
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const PER_MESSAGE = Number(args['per-message']);
const ASSETS = Math.max(1, Math.round(Number(args.points) / PER_MESSAGE));
const WARMUP_MS = Number(args.warmup) * 1000;
const MESSAGES_PER_SECOND = RATE / PER_MESSAGE;
const SITE = 'bench-hall';

const site = benchSite(Array<number>(ASSETS).fill(PER_MESSAGE), SITE);

/** The values of the readings of each statement that inserts into readings, at commit, in chunks under NOTIFY's 8,000 bytes. */
const NOTIFY_TRIGGER = `
create function bench_stored() returns trigger language plpgsql as $$
declare chunk text;
begin
  for chunk in select string_agg(value::text, ',') from (select value, (row_number() over () - 1) / 400 as g from new_rows) t group by g loop
    perform pg_notify('bench_stored', chunk);
  end loop;
  return null;
end $$;
create trigger bench_stored after insert on readings referencing new table as new_rows for each statement execute function bench_stored();`;

/** Latencies of the readings published after the warm-up, and how many readings arrived at all. */
class Receiver {
  readonly latencies: number[] = [];
  received = 0;

  constructor(private readonly measureFrom: () => number) {}

  /** One reading whose value is its publish time arrived now. */
  arrived(sentAt: number, count = 1): void {
    if (sentAt === BACKFILL_VALUE) return;
    const now = performance.now();
    this.received += count;
    if (sentAt >= this.measureFrom()) for (let i = 0; i < count; i++) this.latencies.push(now - sentAt);
  }
}

/** Waits until every receiver has `expected` readings or none got more for 10 s. */
async function drained(receivers: Receiver[], expected: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const total = receivers.reduce((sum, r) => sum + Math.min(r.received, expected), 0);
    if (total === expected * receivers.length) return;
    if (total !== last) [last, since] = [total, Date.now()];
    if (Date.now() - since > 10_000) return;
    await sleep(100);
  }
}

const stamp = () => Math.round(performance.now() * 1000) / 1000;

/**
 * A gateway catching up: BACKFILL_READINGS readings of the meters' last year at 15 minutes, oldest
 * first, 500 times of one meter's points a message, each acknowledged before the next (QoS 1).
 */
async function catchUp(gateway: MqttClient, prefix: string): Promise<{ sent: number; ms: number }> {
  const started = Date.now();
  const yearAgo = Date.now() - 365 * 86_400_000;
  const values = Object.fromEntries(Array.from({ length: PER_MESSAGE }, (_, p) => [`p${p}`, BACKFILL_VALUE]));
  let sent = 0;
  for (let step = 0; sent < BACKFILL_READINGS; step += 500) {
    for (let asset = 0; asset < ASSETS && sent < BACKFILL_READINGS; asset++) {
      const entries = Array.from({ length: 500 }, (_, k) => ({ ts: yearAgo + (step + k) * 900_000, values }));
      await gateway.publishAsync(`${prefix}/meter-${asset}`, JSON.stringify(entries), { qos: 1 });
      sent += 500 * PER_MESSAGE;
    }
  }
  return { sent, ms: Date.now() - started };
}

async function main(): Promise<void> {
  console.log(`machine before the run: ${machineLoad()}`);
  const broker = await startMosquitto();
  const testDb = await createTestDatabase('postgres');
  await new RegistryRepository(testDb.db).applySites([site], 'registry');
  await testDb.db.query(NOTIFY_TRIGGER);
  const shared = isolatedEnv([site], { DATABASE_URL: testDb.url!, MQTT_URL: broker.url, LOG_LEVEL: 'warn' });
  const ingestEnv = { ...shared, HALLWATCH_APP: 'ingest', PORT: String(await freePort()) };
  const apiEnv = { ...shared, HALLWATCH_APP: 'api', PORT: String(await freePort()) };
  const ingest = startProcess('ingest', ingestEnv, args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []);
  const api = startProcess('api', apiEnv);
  await Promise.all([waitHealthy(ingestEnv.PORT), waitHealthy(apiEnv.PORT)]);

  let measureFrom = Number.POSITIVE_INFINITY;
  const from = () => measureFrom;

  // The broker alone: the same rate and messages to a plain subscriber.
  const plain = new Receiver(from);
  const subscriber = await connectAsync(broker.url, { clientId: 'bench-plain-sub', clean: true });
  await subscriber.subscribeAsync('bench/raw/#', { qos: 1 });
  subscriber.on('message', (_topic, payload) => {
    const body = JSON.parse(payload.toString()) as { values: Record<string, number> };
    const values = Object.values(body.values);
    plain.arrived(values[0], values.length);
  });
  const rawPublisher = await connectAsync(broker.url, { clientId: 'bench-raw-pub' });
  const lastTs = new Map<number, number>();
  const message = (prefix: string) => (i: number, sentAt: number) => {
    const asset = i % ASSETS;
    const ts = Math.max(Date.now(), (lastTs.get(asset) ?? 0) + 1);
    lastTs.set(asset, ts);
    const value = Math.round(sentAt * 1000) / 1000;
    const values = Object.fromEntries(Array.from({ length: PER_MESSAGE }, (_, p) => [`p${p}`, value]));
    return { topic: `${prefix}/meter-${asset}`, payload: JSON.stringify({ ts, values }) };
  };
  measureFrom = stamp() + WARMUP_MS;
  const brokerRun = await publishAtRate(rawPublisher, MESSAGES_PER_SECOND, SECONDS, message('bench/raw'));
  await drained([plain], brokerRun.sent * PER_MESSAGE);
  await subscriber.endAsync();
  await rawPublisher.endAsync();

  // Hallwatch: ingest stores, the api delivers to a dashboard socket.
  const stored = new Receiver(from);
  const listener = new Client({ connectionString: testDb.url });
  await listener.connect();
  listener.on('notification', (note) => {
    for (const value of (note.payload ?? '').split(',')) stored.arrived(Number(value));
  });
  await listener.query('listen bench_stored');
  const dashboard = new Receiver(from);
  const socket = io(`http://127.0.0.1:${apiEnv.PORT}/live`, { auth: { token: shared.HALLWATCH_API_TOKEN }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
  socket.on('readings', (batch: LiveReading[]) => batch.forEach((reading) => dashboard.arrived(reading.value)));
  const subscribed = await socket.emitWithAck('subscribe', { site: SITE });
  if (!subscribed.ok) throw new Error(`subscribe failed: ${JSON.stringify(subscribed)}`);

  const device = await connectAsync(broker.url, { clientId: `${shared.MQTT_CLIENT_ID}-device` });
  const cpu = async () => ({
    ingest: await metric(ingestEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_cpu_seconds_total'),
    api: await metric(apiEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_cpu_seconds_total'),
  });
  // Rollup lag, sampled every 250 ms while publishing and until stored: the age of the refresher's oldest log entry.
  const lagSamples: number[] = [];
  let sampling = true;
  const lagSampler = (async () => {
    while (sampling) {
      const [row] = (
        await listener.query<{ lag: number | null }>(
          'select extract(epoch from (now() - min(created_at)))::float8 as lag from rollup_invalidations',
        )
      ).rows;
      lagSamples.push(Math.max(0, row.lag ?? 0));
      await sleep(250);
    }
  })();
  const cpuBefore = await cpu();
  const benchCpuBefore = cpuUsage();
  const started = Date.now();
  measureFrom = stamp() + WARMUP_MS;
  const gateway = BACKFILL_READINGS > 0 ? await connectAsync(broker.url, { clientId: `${shared.MQTT_CLIENT_ID}-gateway` }) : null;
  const backfill = gateway ? catchUp(gateway, `${shared.MQTT_TOPIC_PREFIX}/${SITE}`) : Promise.resolve({ sent: 0, ms: 0 });
  const hallwatchRun = await publishAtRate(device, MESSAGES_PER_SECOND, SECONDS, message(`${shared.MQTT_TOPIC_PREFIX}/${SITE}`));
  const publishMs = Date.now() - started;
  const backfilled = await backfill;
  await gateway?.endAsync();
  const benchCpu = cpuUsage(benchCpuBefore);
  const cpuAfter = await cpu();
  const expected = hallwatchRun.sent * PER_MESSAGE;
  await drained([stored, dashboard], expected);
  sampling = false;
  await lagSampler;
  const ingestMetric = (name: string) => metric(ingestEnv.PORT, shared.HALLWATCH_API_TOKEN, name);
  const batches = await ingestMetric('hallwatch_ingest_write_seconds_count');
  const writeSeconds = await ingestMetric('hallwatch_ingest_write_seconds_sum');
  const batchReadings = await ingestMetric('hallwatch_ingest_batch_readings_sum');
  const rss = await ingestMetric('hallwatch_process_process_resident_memory_bytes');
  const apiRss = await metric(apiEnv.PORT, shared.HALLWATCH_API_TOKEN, 'hallwatch_process_process_resident_memory_bytes');

  const percent = (seconds: number) => `${Math.round((seconds / (publishMs / 1000)) * 100)}%`;
  console.log(
    `rate ${RATE} readings/s (${MESSAGES_PER_SECOND} messages/s of ${PER_MESSAGE} reading(s), QoS 1) for ${SECONDS} s, ` +
      `${ASSETS * PER_MESSAGE} points; latencies of readings published after the first ${WARMUP_MS / 1000} s`,
  );
  console.table({
    'broker: publish -> plain subscriber (ms)': summary(plain.latencies),
    'hallwatch: publish -> stored in PostgreSQL (ms)': summary(stored.latencies),
    'hallwatch: publish -> dashboard socket (ms)': summary(dashboard.latencies),
  });
  console.table({ 'rollup lag (s), sampled every 250 ms': summary(lagSamples) });
  if (gateway) {
    console.log(
      `back-fill beside it: ${backfilled.sent} readings of the last year acknowledged by the broker in ${(backfilled.ms / 1000).toFixed(1)} s ` +
        `(${Math.round(backfilled.sent / (backfilled.ms / 1000))} readings/s)`,
    );
  }
  console.table({
    broker: { sent: brokerRun.sent * PER_MESSAGE, received: plain.received, publisherWorstLagMs: brokerRun.worstLagMs },
    stored: { sent: expected, received: stored.received, publisherWorstLagMs: hallwatchRun.worstLagMs },
    'dashboard socket': { sent: expected, received: dashboard.received, publisherWorstLagMs: hallwatchRun.worstLagMs },
  });
  console.log(
    `CPU while publishing (of one core): ingest ${percent(cpuAfter.ingest - cpuBefore.ingest)}, api ${percent(cpuAfter.api - cpuBefore.api)}, ` +
      `benchmark process ${percent((benchCpu.user + benchCpu.system) / 1e6)}`,
  );
  console.log(
    `ingest wrote ${batches} batches, ${Math.round(batchReadings / batches)} readings each on average, ` +
      `${Math.round((writeSeconds / batches) * 1000)} ms per batch write on average; ` +
      `time in batch writes = ${percent(writeSeconds)} of the publishing time`,
  );
  console.log(`machine at the end: ${machineLoad()}`);
  console.log(`resident memory at the end: ingest ${megabytes(rss)} MB, api ${megabytes(apiRss)} MB`);

  socket.close();
  await device.endAsync();
  await listener.end();
  await Promise.all([ingest.stop(), api.stop()]);
  await testDb.drop();
  await broker.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
