import { connectAsync, MqttClient } from 'mqtt';
import Long from 'long';
import { decodePayload, encodePayload, UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { SiteDefinition } from '@hallwatch/registry';
import { AssetValues } from './building.model';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';
export const REBIRTH_METRIC = 'Node Control/Rebirth';
/** The node's own metric; the devices' metrics take the aliases after it. */
export const REBIRTH_ALIAS = 0;

export interface SparkplugMetricDefinition {
  point: string;
  /** the point key with `.` as `/` (`Meter/kW`): Hallwatch's decoder turns `/` back into `.` */
  name: string;
  alias: number;
  type: 'Double' | 'Boolean';
}

/**
 * Each asset's metrics with their aliases: unique across the edge node (devices included), in
 * registry order, so the same registry always gives the same aliases. Points with an `expression`
 * are derived by Hallwatch on ingest and are not published.
 */
export function sparkplugMetrics(site: SiteDefinition): Map<string, SparkplugMetricDefinition[]> {
  let alias = REBIRTH_ALIAS;
  return new Map(
    site.assets.map((asset) => [
      asset.key,
      asset.points
        .filter((point) => !point.expression)
        .map((point) => ({
          point: point.key,
          name: point.key.replace(/\./g, '/'),
          alias: ++alias,
          type: point.kind === 'status' ? ('Boolean' as const) : ('Double' as const),
        })),
    ]),
  );
}

export function nextSeq(seq: number): number {
  return (seq + 1) % 256;
}

export interface SparkplugMessage {
  topic: string;
  payload: Buffer;
}

export interface SparkplugSessionOptions {
  /** Sparkplug group id (default: the site key, which Hallwatch reads as the site) */
  group?: string;
  /** edge node id (default `sim-<site>`) */
  nodeId?: string;
  /** the first session's bdSeq (default 0) */
  bdSeq?: number;
}

/**
 * One site as a Sparkplug B edge node, without I/O: says which messages to publish for a tick, a
 * rebirth or a new MQTT session. NBIRTH carries bdSeq and resets seq to 0; every later NBIRTH,
 * DBIRTH and DDATA takes the next seq modulo 256. Births name every metric with its alias, data
 * messages carry aliases only. Births wait for the first tick: they carry the current values.
 */
export class SparkplugSession {
  readonly group: string;
  readonly nodeId: string;
  private readonly metrics: Map<string, SparkplugMetricDefinition[]>;
  private bdSeq: number;
  private seq = 0;
  private born = false;
  private lastTs?: number;
  private readonly last = new Map<string, AssetValues>();

  constructor(site: SiteDefinition, options: SparkplugSessionOptions = {}) {
    this.group = options.group ?? site.key;
    this.nodeId = options.nodeId ?? `sim-${site.key}`;
    this.metrics = sparkplugMetrics(site);
    this.bdSeq = options.bdSeq ?? 0;
  }

  topic(type: 'NBIRTH' | 'NDEATH' | 'NCMD' | 'DBIRTH' | 'DDATA', device?: string): string {
    return `${SPARKPLUG_NAMESPACE}/${this.group}/${type}/${this.nodeId}${device === undefined ? '' : `/${device}`}`;
  }

  /** NDEATH for this session: the MQTT will, and what a clean stop publishes. */
  death(ts = Date.now()): SparkplugMessage {
    return { topic: this.topic('NDEATH'), payload: encode({ timestamp: ts, metrics: [bdSeqMetric(this.bdSeq)] }) };
  }

  /** A new MQTT session (a reconnect): the next bdSeq, and births are owed. Returns the new will. */
  newSession(): SparkplugMessage {
    this.bdSeq = nextSeq(this.bdSeq);
    this.born = false;
    return this.death();
  }

  /** The tick's messages: the births when owed (they carry the values), DDATA per asset otherwise. */
  tick(ts: number, values: ReadonlyMap<string, AssetValues>): SparkplugMessage[] {
    this.lastTs = ts;
    for (const [asset, assetValues] of values) if (Object.keys(assetValues).length > 0) this.last.set(asset, { ...assetValues });
    if (!this.born) return this.births();
    const messages: SparkplugMessage[] = [];
    for (const [asset, assetValues] of values) {
      const metrics = (this.metrics.get(asset) ?? [])
        .filter((metric) => assetValues[metric.point] !== undefined)
        .map((metric) => ({ alias: metric.alias, type: metric.type, value: valueOf(metric, assetValues[metric.point]) }));
      if (metrics.length === 0) continue;
      messages.push({ topic: this.topic('DDATA', asset), payload: encode({ timestamp: ts, seq: this.takeSeq(), metrics }) });
    }
    return messages;
  }

  /** NBIRTH and every DBIRTH with the last values (a metric never seen yet is null); nothing before the first tick. */
  births(): SparkplugMessage[] {
    if (this.lastTs === undefined) return [];
    const ts = this.lastTs;
    this.born = true;
    this.seq = 0;
    const messages: SparkplugMessage[] = [
      {
        topic: this.topic('NBIRTH'),
        payload: encode({
          timestamp: ts,
          seq: this.seq,
          metrics: [bdSeqMetric(this.bdSeq), { name: REBIRTH_METRIC, alias: REBIRTH_ALIAS, type: 'Boolean', value: false }],
        }),
      },
    ];
    for (const [asset, definitions] of this.metrics) {
      if (definitions.length === 0) continue;
      const values = this.last.get(asset) ?? {};
      const metrics = definitions.map((metric): UMetric => ({
        name: metric.name,
        alias: metric.alias,
        type: metric.type,
        value: values[metric.point] === undefined ? null : valueOf(metric, values[metric.point]),
      }));
      messages.push({ topic: this.topic('DBIRTH', asset), payload: encode({ timestamp: ts, seq: this.takeSeq(), metrics }) });
    }
    return messages;
  }

  /** An NCMD: the births again when it asks for a rebirth (by name or by alias), nothing otherwise. */
  command(payload: Buffer): SparkplugMessage[] {
    let decoded: UPayload;
    try {
      decoded = decodePayload(payload);
    } catch {
      return [];
    }
    const rebirth = (decoded.metrics ?? []).some(
      (metric) => (metric.name === REBIRTH_METRIC || toNumber(metric.alias) === REBIRTH_ALIAS) && metric.value === true,
    );
    return rebirth ? this.births() : [];
  }

  private takeSeq(): number {
    this.seq = nextSeq(this.seq);
    return this.seq;
  }
}

function bdSeqMetric(bdSeq: number): UMetric {
  return { name: 'bdSeq', type: 'UInt64', value: bdSeq };
}

function valueOf(metric: SparkplugMetricDefinition, value: number): number | boolean {
  return metric.type === 'Boolean' ? value !== 0 : value;
}

function encode(payload: UPayload): Buffer {
  return Buffer.from(encodePayload(payload));
}

function toNumber(value: number | Long | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Long.isLong(value) ? value.toNumber() : Number(value);
}

export interface SparkplugOutputOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  /** one group for every site (default: each site's key) */
  group?: string;
  /** edge node ids are `<nodePrefix><site>` (default `sim-`) */
  nodePrefix?: string;
  /** distinguishes the MQTT client ids of two simulators */
  clientTag?: string;
  onLog?: (message: string) => void;
}

interface EdgeNode {
  session: SparkplugSession;
  client: MqttClient;
}

/**
 * Sparkplug B over MQTT: one edge node per site, each on its own connection because each needs
 * its own NDEATH as the will. Births, data and deaths go out with QoS 0 as the specification asks
 * (the will with QoS 1); each connection keeps its messages in order.
 */
export class SparkplugOutput {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly counters = { sent: 0, acknowledged: 0 };

  private constructor(
    private readonly nodes: Map<string, EdgeNode>,
    private readonly onLog?: (message: string) => void,
  ) {}

  static async start(sites: readonly SiteDefinition[], options: SparkplugOutputOptions): Promise<SparkplugOutput> {
    const nodes = new Map<string, EdgeNode>();
    try {
      for (const site of sites) {
        const session = new SparkplugSession(site, { group: options.group, nodeId: `${options.nodePrefix ?? 'sim-'}${site.key}` });
        const will = session.death();
        const client = await connectAsync(options.mqttUrl, {
          clientId: `hallwatch-sim-spb-${session.nodeId}-${options.clientTag ?? process.pid}`.slice(0, 200),
          username: options.username,
          password: options.password,
          reconnectPeriod: 1000,
          clean: true,
          // QoS 0 messages held while offline would follow the new session's births with stale seqs.
          queueQoSZero: false,
          will: { topic: will.topic, payload: will.payload, qos: 1, retain: false },
        });
        nodes.set(site.key, { session, client });
        await client.subscribeAsync(session.topic('NCMD'), { qos: 1 });
      }
    } catch (error) {
      await Promise.all([...nodes.values()].map(({ client }) => client.endAsync(true).catch(() => undefined)));
      throw error;
    }
    const output = new SparkplugOutput(nodes, options.onLog);
    for (const node of nodes.values()) output.watch(node);
    return output;
  }

  stats(): { sent: number; acknowledged: number } {
    return { ...this.counters };
  }

  /** Publishes one site's tick: births when owed, DDATA otherwise. */
  tick(site: string, ts: number, values: ReadonlyMap<string, AssetValues>): void {
    const node = this.nodes.get(site);
    if (!node) return;
    const messages = node.session.tick(ts, values);
    // Offline, the values are only remembered: the reconnection starts a new session with births.
    if (node.client.connected) this.publish(node, messages);
  }

  /** Resolves when everything published so far has been written (or has failed). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** A clean end: NDEATH from each node (a clean disconnect does not send the will), then disconnect. */
  async stop(): Promise<void> {
    await this.flush();
    await Promise.all(
      [...this.nodes.values()].map(async ({ session, client }) => {
        if (client.connected) {
          const death = session.death();
          await client.publishAsync(death.topic, death.payload, { qos: 1 }).catch(() => undefined);
          await client.endAsync();
        } else await client.endAsync(true);
      }),
    );
  }

  private watch(node: EdgeNode): void {
    const { session, client } = node;
    client.on('message', (topic, payload) => {
      if (topic !== session.topic('NCMD')) return;
      const births = session.command(payload);
      if (births.length > 0) this.onLog?.(`Sparkplug: rebirth of ${session.group}/${session.nodeId} on request`);
      this.publish(node, births);
    });
    // A lost connection ends the session (the broker publishes its will): the next one has a new
    // bdSeq in its will and starts with births.
    client.on('close', () => {
      if (client.disconnecting) return;
      const will = session.newSession();
      client.options.will = { topic: will.topic, payload: will.payload, qos: 1, retain: false };
    });
    client.on('connect', () => this.publish(node, session.births()));
  }

  private publish(node: EdgeNode, messages: SparkplugMessage[]): void {
    for (const message of messages) {
      this.counters.sent++;
      const sent = node.client
        .publishAsync(message.topic, message.payload, { qos: 0 })
        .then(() => this.counters.acknowledged++)
        .catch((error: Error) => this.onLog?.(`Sparkplug publish failed: ${error.message}`));
      this.pending.add(sent);
      void sent.finally(() => this.pending.delete(sent));
    }
  }
}
