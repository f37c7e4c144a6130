import { Injectable } from '@nestjs/common';
import { QUARTER_HOUR_MS } from '@hallwatch/calc';
import { MeteredUtility, RollupRepository } from '@hallwatch/readings';
import type { Coverage } from './coverage.schema';

/** The whole UTC quarter hours within [from, to): the period's rollup buckets that can be complete. */
export function wholeQuarters(from: number, to: number): { first: number; end: number; count: number } {
  const first = Math.ceil(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const end = Math.floor(to / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  return { first, end, count: Math.max(0, (end - first) / QUARTER_HOUR_MS) };
}

/** How much of a period the main meters' 15-minute rollups cover (coverage.schema.ts), as RollupRepository counts it. */
@Injectable()
export class CoverageRepository {
  constructor(private readonly rollups: RollupRepository) {}

  /** Coverage of [from, to), counted up to `now` at most: the future is not missing. */
  async coverage(siteKey: string, utility: MeteredUtility, from: number, to: number, now = Date.now()): Promise<Coverage> {
    const { first, end, count } = wholeQuarters(from, Math.min(to, now));
    const [withData, seen] = await Promise.all([
      this.rollups.measuredQuarters(siteKey, utility, new Date(first), new Date(end)),
      this.rollups.readingSpan(siteKey, utility, new Date(Math.floor(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS), new Date(to)),
    ]);
    return {
      quarters: count,
      quartersWithData: withData,
      share: count > 0 ? withData / count : null,
      partial: withData < count,
      firstData: seen.first === null ? null : new Date(seen.first).toISOString(),
      lastData: seen.last === null ? null : new Date(seen.last).toISOString(),
    };
  }
}
