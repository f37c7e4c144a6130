import { KEY_PATTERN, POINT_KEY_PATTERN, ReadingFlags } from '@hallwatch/domain';
import { RejectReason } from '@hallwatch/readings';
import { parseBoundedJson, preview } from '@hallwatch/core';
import { isStorableNumber, ParseLimits, ParseResult, timestampProblem } from './parse-result';

/**
 * Values per message, good or bad; more is a gateway dumping history, which belongs to back-fill.
 * Bad ones count too: each becomes a dead letter holding the payload.
 */
const MAX_READINGS_PER_MESSAGE = 10_000;

/**
 * Parses a native v1 message: topic `{prefix}/{site}/{asset}`, payload one object or an array of
 * `{ts?, values: {point: number|boolean}, quality?: {point: "good"|"uncertain"|"bad"}}`. Bad values
 * (and values the device marks bad) are rejected one by one; the good ones of the same message are
 * kept; uncertain ones are stored with the uncertain flag.
 */
export function parseNativeV1(topic: string, payload: Buffer, receivedAt: number, limits: ParseLimits): ParseResult {
  const reject = (reason: RejectReason, detail: string): ParseResult => ({ readings: [], rejections: [{ reason, detail }] });

  const keys = topicKeys(topic, limits.topicPrefix);
  if (!keys) return reject('bad-topic', `topic must be ${limits.topicPrefix}/{site}/{asset} with keys [a-z0-9-]+`);
  if (payload.length > limits.maxPayloadBytes) return reject('payload-too-large', `${payload.length} bytes > ${limits.maxPayloadBytes}`);

  // Depth, sizes and key lengths are checked on the text before it is parsed or walked.
  const json = parseBoundedJson(payload.toString('utf8'));
  if ('reason' in json) return { readings: [], rejections: [json] };
  const body = json.value;
  const entries = Array.isArray(body) ? body : [body];
  if (entries.length === 0) return reject('bad-shape', 'empty array');
  if (entries.length > MAX_READINGS_PER_MESSAGE) return reject('payload-too-large', `more than ${MAX_READINGS_PER_MESSAGE} entries`);

  const result: ParseResult = { readings: [], rejections: [] };
  for (const [index, entry] of entries.entries()) {
    const where = entries.length > 1 ? `[${index}] ` : '';
    if (!isPlainObject(entry) || !isPlainObject(entry.values)) {
      result.rejections.push({ reason: 'bad-shape', detail: `${where}expected {"ts": ..., "values": {...}}` });
      continue;
    }
    const stamp = parseTimestamp(entry.ts, receivedAt, limits);
    if ('reason' in stamp) {
      result.rejections.push({ reason: stamp.reason, detail: `${where}${stamp.detail}` });
      continue;
    }
    if (entry.quality !== undefined && !isPlainObject(entry.quality)) {
      result.rejections.push({ reason: 'bad-shape', detail: `${where}quality must map point keys to "good", "uncertain" or "bad"` });
      continue;
    }
    const quality: Record<string, unknown> = entry.quality ?? {};
    for (const [point, raw] of Object.entries(entry.values)) {
      const value = typeof raw === 'boolean' ? Number(raw) : raw;
      const stated = Object.hasOwn(quality, point) ? quality[point] : 'good';
      if (!POINT_KEY_PATTERN.test(point)) {
        result.rejections.push({ reason: 'bad-shape', detail: `${where}point key ${preview(point)} is not [A-Za-z0-9_.-]+`, point });
      } else if (!isStorableNumber(value)) {
        result.rejections.push({
          reason: 'bad-value',
          detail: `${where}${point}: ${preview(raw)} is not a number (0 or 1e-300 to 1e300 in size) or boolean`,
          point,
        });
      } else if (stated !== 'good' && stated !== 'uncertain' && stated !== 'bad') {
        result.rejections.push({ reason: 'bad-shape', detail: `${where}${point}: quality ${preview(stated)} is not "good", "uncertain" or "bad"`, point });
      } else if (stated === 'bad') {
        result.rejections.push({ reason: 'bad-value', detail: `${where}${point}: the device marked ${preview(raw)} as bad quality`, point });
      } else {
        const flags = stamp.flags | (stated === 'uncertain' ? ReadingFlags.uncertain : 0);
        result.readings.push({ site: keys.site, asset: keys.asset, point, ts: stamp.ts, value, flags });
      }
    }
    if (result.readings.length + result.rejections.length > MAX_READINGS_PER_MESSAGE)
      return reject('payload-too-large', `more than ${MAX_READINGS_PER_MESSAGE} values`);
  }
  return result;
}

export function topicKeys(topic: string, prefix: string): { site: string; asset: string } | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const rest = topic.slice(prefix.length + 1).split('/');
  if (rest.length !== 2 || !KEY_PATTERN.test(rest[0]) || !KEY_PATTERN.test(rest[1])) return undefined;
  return { site: rest[0], asset: rest[1] };
}

function parseTimestamp(
  raw: unknown,
  receivedAt: number,
  limits: ParseLimits,
): { ts: number; flags: number } | { reason: RejectReason; detail: string } {
  if (raw === undefined || raw === null) return { ts: receivedAt, flags: ReadingFlags.receiveTime };
  let ts: number;
  if (typeof raw === 'number' && Number.isInteger(raw)) ts = raw;
  else if (typeof raw === 'string' && ISO_8601.test(raw)) ts = Date.parse(raw);
  else return { reason: 'bad-timestamp', detail: `ts ${preview(raw)} is neither epoch milliseconds nor ISO 8601 with a zone` };
  if (!Number.isFinite(ts)) return { reason: 'bad-timestamp', detail: `ts ${preview(raw)} is not a date` };
  return timestampProblem(ts, receivedAt, limits) ?? { ts, flags: ReadingFlags.none };
}

/** A zone is required: a local time without one would be ambiguous between devices. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
