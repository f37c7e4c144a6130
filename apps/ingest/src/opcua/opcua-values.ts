import { ReadingFlags } from '@hallwatch/domain';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { ParseLimits, ParseResult, timestampProblem } from '../parse-result';
import { OpcuaValue } from './opcua-endpoint.connection';

/** Turns monitored-item changes into readings of the mapped points; bad quality and non-numbers are rejected. */
export function opcuaReadings(
  site: string,
  endpoint: OpcuaEndpointDefinition,
  values: readonly OpcuaValue[],
  receivedAt: number,
  limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs'>,
): ParseResult {
  const result: ParseResult = { readings: [], rejections: [] };
  for (const change of values) {
    const mapping = endpoint.mappings[change.mapping];
    const where = `${mapping.nodeId} -> ${mapping.asset}/${mapping.point}`;
    if (!change.good) {
      result.rejections.push({ reason: 'bad-value', detail: `${where}: status ${change.status}`, point: mapping.point });
      continue;
    }
    const value = typeof change.value === 'boolean' ? Number(change.value) : change.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      result.rejections.push({
        reason: 'bad-value',
        detail: `${where}: ${JSON.stringify(change.value)} is not a finite number or boolean`,
        point: mapping.point,
      });
      continue;
    }
    const ts = change.ts ?? receivedAt;
    const problem = change.ts === undefined ? undefined : timestampProblem(ts, receivedAt, limits);
    if (problem) {
      result.rejections.push({ ...problem, point: mapping.point });
      continue;
    }
    const flags = change.ts === undefined ? ReadingFlags.receiveTime : ReadingFlags.none;
    result.readings.push({ site, asset: mapping.asset, point: mapping.point, ts, value, flags });
  }
  return result;
}
