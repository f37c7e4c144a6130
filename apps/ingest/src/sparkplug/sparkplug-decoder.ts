import Long from 'long';
import { ReadingFlags } from '@hallwatch/domain';
import { clip } from '@hallwatch/core';
import {
  isStorableNumber,
  MAX_POINT_KEY_CHARS,
  ParsedReading,
  ParseLimits,
  ParseResult,
  Rejection,
  timestampProblem,
} from '../parse-result';
import { parseSparkplugTopic, SPARKPLUG_NAMESPACE, SparkplugTopic, toKey, toPointKey } from './sparkplug-topic';
import { decodeSparkplugPayload, WireMetric, WirePayload } from './sparkplug-wire';

/** Metrics that belong to the protocol, not to the building. */
const PROTOCOL_METRICS = /^(bdSeq$|Node Control\/|Device Control\/|Properties\/)/;
const NUMERIC_TYPES = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float', 'Double']);
/** As for native messages: each refused metric becomes a dead letter holding the payload. */
const MAX_METRICS_PER_MESSAGE = 10_000;
/** Groups are never sent by Sparkplug encoders; a few levels are read past, more are refused. */
const MAX_GROUP_DEPTH = 32;
/**
 * Edge nodes with a session kept; past this the oldest is forgotten (it is asked for a rebirth
 * when it next sends data), so births under ever new node names cannot fill the memory.
 */
export const MAX_SESSIONS = 10_000;

export interface RebirthRequest {
  group: string;
  node: string;
  reason: string;
}

export interface DecodeOutcome {
  result: ParseResult;
  /** The edge node must publish its births again (unknown alias, sequence gap, data before birth). */
  rebirth?: RebirthRequest;
  /** A node or device came online (birth) or went offline (death). */
  presence?: { id: string; online: boolean };
}

interface Session {
  bdSeq?: number;
  lastSeq?: number;
  /** alias -> metric name, for the node ('') and each device */
  aliases: Map<string, Map<number, string>>;
}

/**
 * Sparkplug B for Hallwatch: group -> site, device (or edge node) -> asset, metric name -> point.
 * Keeps each edge node's session (birth certificates, aliases, sequence numbers) and says when a
 * rebirth must be requested. Pure: no I/O, the source publishes what it asks.
 */
export class SparkplugDecoder {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs' | 'maxPayloadBytes'>) {}

  decode(topicName: string, bytes: Buffer, receivedAt: number): DecodeOutcome {
    const reject = (reason: Rejection['reason'], detail: string): DecodeOutcome => ({
      result: { readings: [], rejections: [{ reason, detail }] },
    });
    // Host applications' STATE messages say nothing about the building.
    if (topicName.startsWith(`${SPARKPLUG_NAMESPACE}/STATE/`)) return { result: { readings: [], rejections: [] } };
    const topic = parseSparkplugTopic(topicName);
    if (!topic) return reject('bad-topic', 'expected spBv1.0/{group}/{type}/{node}[/{device}]');
    if (topic.type === 'NCMD' || topic.type === 'DCMD' || topic.type === 'STATE') return { result: { readings: [], rejections: [] } };
    if (bytes.length > this.limits.maxPayloadBytes)
      return reject('payload-too-large', `${bytes.length} bytes > ${this.limits.maxPayloadBytes}`);

    const decoded = decodeSparkplugPayload(bytes, { maxMetrics: MAX_METRICS_PER_MESSAGE, maxGroupDepth: MAX_GROUP_DEPTH });
    if ('reason' in decoded) return reject(decoded.reason, decoded.detail);
    const payload = decoded.payload;
    const nodeId = `${topic.group}/${topic.node}`;

    switch (topic.type) {
      case 'NBIRTH': {
        const aliases = new Map([['', aliasTable(payload.metrics)]]);
        this.sessions.delete(nodeId);
        if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
        this.sessions.set(nodeId, { bdSeq: bdSeqOf(payload), lastSeq: toNumber(payload.seq), aliases });
        return { result: this.readingsOf(topic, payload, receivedAt, aliases.get('')!), presence: { id: nodeId, online: true } };
      }
      case 'NDEATH': {
        const session = this.sessions.get(nodeId);
        // A death from an older session (its bdSeq differs) is stale: the node has been reborn since.
        if (session && (session.bdSeq === undefined || bdSeqOf(payload) === undefined || bdSeqOf(payload) === session.bdSeq)) {
          this.sessions.delete(nodeId);
          return { result: { readings: [], rejections: [] }, presence: { id: nodeId, online: false } };
        }
        return { result: { readings: [], rejections: [] } };
      }
      default:
        return this.decodeInSession(topic, payload, nodeId, receivedAt);
    }
  }

  private decodeInSession(topic: SparkplugTopic, payload: WirePayload, nodeId: string, receivedAt: number): DecodeOutcome {
    const session = this.sessions.get(nodeId);
    const deviceId = topic.device ? `${nodeId}/${topic.device}` : nodeId;
    if (!session) {
      const result = this.readingsOf(topic, payload, receivedAt, new Map<number, string>());
      return { result, rebirth: { group: topic.group, node: topic.node, reason: `${topic.type} before NBIRTH` } };
    }
    let rebirth: RebirthRequest | undefined;
    const seq = toNumber(payload.seq);
    if (seq !== undefined && session.lastSeq !== undefined && seq !== (session.lastSeq + 1) % 256) {
      rebirth = { group: topic.group, node: topic.node, reason: `sequence gap: expected ${(session.lastSeq + 1) % 256}, got ${seq}` };
    }
    if (seq !== undefined) session.lastSeq = seq;

    const deviceKey = topic.device ?? '';
    if (topic.type === 'DBIRTH') session.aliases.set(deviceKey, aliasTable(payload.metrics));
    if (topic.type === 'DDEATH') {
      session.aliases.delete(deviceKey);
      return { result: { readings: [], rejections: [] }, rebirth, presence: { id: deviceId, online: false } };
    }
    const result = this.readingsOf(topic, payload, receivedAt, session.aliases.get(deviceKey) ?? new Map<number, string>());
    if (!rebirth && result.rejections.some((rejection) => rejection.reason === 'unknown-alias')) {
      rebirth = { group: topic.group, node: topic.node, reason: `unknown alias in ${topic.type}` };
    }
    return { result, rebirth, presence: topic.type === 'DBIRTH' ? { id: deviceId, online: true } : undefined };
  }

  private readingsOf(topic: SparkplugTopic, payload: WirePayload, receivedAt: number, aliases: Map<number, string>): ParseResult {
    const result: ParseResult = { readings: [], rejections: [] };
    const site = toKey(topic.group);
    const asset = toKey(topic.device ?? topic.node);
    const payloadTs = toNumber(payload.timestamp);
    for (const metric of payload.metrics) {
      const alias = toNumber(metric.alias);
      const name = metric.name ?? (alias !== undefined ? aliases.get(alias) : undefined);
      if (!name) {
        result.rejections.push({ reason: 'unknown-alias', detail: `alias ${String(alias)} was not declared in a birth certificate` });
        continue;
      }
      if (PROTOCOL_METRICS.test(name)) continue;
      if (name.length > MAX_POINT_KEY_CHARS) {
        result.rejections.push({
          reason: 'key-too-long',
          detail: `metric name of ${name.length} characters, more than ${MAX_POINT_KEY_CHARS}: ${clip(name, 40)}`,
        });
        continue;
      }
      const point = toPointKey(name);
      const value = numericValue(metric);
      if (value === undefined) {
        result.rejections.push({
          reason: 'bad-value',
          // clip: PostgreSQL text holds no NUL
          detail: `${clip(name, MAX_POINT_KEY_CHARS)}: ${String(metric.type)} ${metric.isNull ? 'null' : 'is not numeric or boolean, or out of range (0 or 1e-300 to 1e300)'}`,
          point,
        });
        continue;
      }
      const quality = sparkplugQuality(metric.quality);
      if (quality === 'bad') {
        result.rejections.push({
          reason: 'bad-value',
          detail: `${clip(name, MAX_POINT_KEY_CHARS)}: the device marked ${value} as bad quality (Quality ${String(metric.quality)})`,
          point,
        });
        continue;
      }
      const stated = toNumber(metric.timestamp) ?? payloadTs;
      const ts = stated ?? receivedAt;
      const problem = stated === undefined ? undefined : timestampProblem(ts, receivedAt, this.limits);
      if (problem) {
        result.rejections.push({ ...problem, point });
        continue;
      }
      const reading: ParsedReading = {
        site,
        asset,
        point,
        ts,
        value,
        flags:
          (stated === undefined ? ReadingFlags.receiveTime : ReadingFlags.none) | (quality === 'uncertain' ? ReadingFlags.uncertain : 0),
      };
      result.readings.push(reading);
    }
    return result;
  }
}

/**
 * A metric's `Quality` property read as OPC DA quality codes, the convention Sparkplug edge nodes
 * follow: bits 7-6 are 11 good (192), 01 uncertain (64), 00 bad (0); Ignition's 500 (stale) is a
 * value the device no longer vouches for, so uncertain. No property means good.
 */
export function sparkplugQuality(code: number | undefined): 'good' | 'uncertain' | 'bad' {
  if (code === undefined) return 'good';
  if (code === 500) return 'uncertain';
  const severity = code & 0xc0;
  return severity === 0xc0 ? 'good' : severity === 0x40 ? 'uncertain' : 'bad';
}

function aliasTable(metrics: readonly WireMetric[]): Map<number, string> {
  const table = new Map<number, string>();
  for (const metric of metrics) {
    const alias = toNumber(metric.alias);
    if (alias !== undefined && metric.name) table.set(alias, metric.name);
  }
  return table;
}

function bdSeqOf(payload: WirePayload): number | undefined {
  const metric = payload.metrics.find((candidate) => candidate.name === 'bdSeq');
  return metric ? toNumber(metric.value as number | Long) : undefined;
}

function numericValue(metric: WireMetric): number | undefined {
  if (metric.isNull || metric.value === null || metric.value === undefined) return undefined;
  if (metric.type === 'Boolean') return metric.value ? 1 : 0;
  if (metric.type === undefined || !NUMERIC_TYPES.has(metric.type)) return undefined;
  // The wire holds Int64 as the bits of an unsigned 64-bit number (-1 as 2^64 - 1) and UInt32 in 64
  // bits: read the bits as the type says.
  const raw = metric.value as number | Long;
  const value = metric.type === 'Int64' && Long.isLong(raw) ? Long.fromBits(raw.low, raw.high, false).toNumber() : toNumber(raw);
  if (metric.type === 'UInt32' && value !== undefined) return value >>> 0;
  return isStorableNumber(value) ? value : undefined;
}

function toNumber(value: number | Long | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Long.isLong(value) ? value.toNumber() : Number(value);
}
