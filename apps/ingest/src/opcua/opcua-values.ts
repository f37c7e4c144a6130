import { ReadingFlags } from '@hallwatch/domain';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { clip, preview } from '@hallwatch/core';
import { isStorableNumber, ParseLimits, ParseResult, Rejection, timestampProblem } from '../parse-result';
import type { OpcuaValue } from './opcua-endpoint.connection';

/** The readings and rejections with the mappings they came from (to tell one node's repeated failure from news). */
export interface OpcuaParseResult extends ParseResult {
  rejections: Array<Rejection & { mapping?: number }>;
  /** The mapping of each reading, in the order of `readings`. */
  delivered: number[];
}

/** Turns monitored-item changes into readings of the mapped points; bad quality and non-numbers are rejected. */
export function opcuaReadings(
  site: string,
  endpoint: OpcuaEndpointDefinition,
  values: readonly OpcuaValue[],
  receivedAt: number,
  limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs'>,
): OpcuaParseResult {
  const result: OpcuaParseResult = { readings: [], rejections: [], delivered: [] };
  for (const change of values) {
    const mapping = Number.isInteger(change.mapping) ? endpoint.mappings[change.mapping] : undefined;
    if (!mapping) {
      result.rejections.push({
        reason: 'internal-error',
        detail: `a change of monitored item ${preview(change.mapping)}, which maps no point`,
      });
      continue;
    }
    const where = `${mapping.nodeId} -> ${mapping.asset}/${mapping.point}`;
    if (change.quality === 'bad') {
      result.rejections.push({
        reason: 'bad-value',
        detail: `${where}: status ${statusText(change.status)}`,
        point: mapping.point,
        mapping: change.mapping,
      });
      continue;
    }
    // Values are anything a server sends (arrays, structures, text): only a number or a boolean is a reading.
    const value = typeof change.value === 'boolean' ? Number(change.value) : change.value;
    if (!isStorableNumber(value)) {
      result.rejections.push({
        reason: 'bad-value',
        detail: `${where}: ${preview(change.value)} is not a number (0 or 1e-300 to 1e300 in size) or boolean`,
        point: mapping.point,
        mapping: change.mapping,
      });
      continue;
    }
    if (change.ts !== undefined && !Number.isFinite(change.ts)) {
      result.rejections.push({
        reason: 'bad-timestamp',
        detail: `${where}: timestamp ${preview(change.ts)} is not a date`,
        point: mapping.point,
        mapping: change.mapping,
      });
      continue;
    }
    const ts = change.ts ?? receivedAt;
    const problem = change.ts === undefined ? undefined : timestampProblem(ts, receivedAt, limits);
    if (problem) {
      result.rejections.push({ ...problem, point: mapping.point, mapping: change.mapping });
      continue;
    }
    const flags =
      (change.ts === undefined ? ReadingFlags.receiveTime : ReadingFlags.none) |
      (change.inexact ? ReadingFlags.inexact : 0) |
      (change.quality === 'uncertain' ? ReadingFlags.uncertain : 0);
    result.readings.push({ site, asset: mapping.asset, point: mapping.point, ts, value, flags });
    result.delivered.push(change.mapping);
  }
  return result;
}

/**
 * The changes as JSON, for the dead letters of the message they make: values other than numbers,
 * booleans and null in a short rendering, so that nothing a server sends (BigInt, a cycle, a
 * structure nested thousands deep, a string of megabytes) can make this throw or grow.
 */
export function opcuaPayload(values: readonly OpcuaValue[]): Buffer {
  return Buffer.from(
    JSON.stringify(
      values.map((change) => ({
        mapping: change.mapping,
        value: plain(change.value),
        ts: plain(change.ts),
        quality: change.quality,
        status: statusText(change.status),
        ...(change.inexact ? { inexact: true } : {}),
      })),
    ),
  );
}

function plain(value: unknown): number | boolean | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return clip(value, 200);
  return preview(value, 200);
}

function statusText(status: unknown): string {
  return typeof status === 'string' ? clip(status, 100) : preview(status, 100);
}
