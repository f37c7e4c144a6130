import { Injectable } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { ReadingRepository, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { PointState, readingQuality, stateOf } from '@hallwatch/domain';
import { resolveRange } from '../time-query';
import { ReadingsQuery } from './readings.query';
import { CorrectionBody } from './corrections.contract';
import { encodeCursor } from '../pagination/page-cursor';
import { isoTime } from '../iso-time';
import { conversionTo, convertRaw, convertRollup } from './unit-conversion';

@Injectable()
export class ReadingsService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly readings: ReadingRepository,
    private readonly rollups: RollupRepository,
  ) {}

  async forPoint(siteKey: string, assetKey: string, pointKey: string, query: ReadingsQuery) {
    const [site, address] = await Promise.all([
      this.registry.findSite(siteKey),
      this.registry.findPointAddress(siteKey, assetKey, pointKey),
    ]);
    if (!site || !address) throw new DomainError('not-found', `point ${siteKey}/${assetKey}/${pointKey} does not exist`);
    const { from, to } = resolveRange(query, site.timezone);
    const converted = conversionTo(address.unit, query.unit);
    const base = {
      site: siteKey,
      asset: assetKey,
      point: pointKey,
      kind: address.kind,
      unit: converted ? query.unit! : address.unit,
      states: address.states,
      bucket: query.bucket,
      timezone: site.timezone,
      from: from.toISOString(),
      to: to.toISOString(),
    };
    // A reading's time (or a bucket's start) is its key: the next page starts a millisecond after the last row.
    const pageFrom = query.cursor ? new Date(Math.max(from.getTime(), Number(query.cursor[0]) + 1)) : from;
    const page = <Row extends { ts: number }>(rows: Row[]) => {
      const shown = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      return {
        truncated: more,
        next: more ? encodeCursor('readings', [String(shown.at(-1)!.ts)]) : null,
        readings: shown.map((row) => ({ ...row, ts: isoTime(row.ts) })),
      };
    };
    if (query.bucket === 'raw') {
      const answer = page(await this.readings.raw(address.pointId, pageFrom, to, query.limit + 1));
      // Each value with its quality, a multi-state point's with the state's labels.
      const readings = answer.readings.map((row) => ({
        ...(converted ? convertRaw(row, converted) : row),
        quality: readingQuality(row.flags),
        ...labelOf(address.states, row.value),
      }));
      return { ...base, bucket: query.bucket, ...answer, readings };
    }
    const rollups = await this.rollups.pointSeries(address.pointId, query.bucket, pageFrom, to, query.limit + 1);
    return { ...base, bucket: query.bucket, ...page(converted ? rollups.map((row) => convertRollup(row, converted)) : rollups) };
  }

  async correct(siteKey: string, assetKey: string, pointKey: string, body: CorrectionBody, by: string) {
    const address = await this.point(siteKey, assetKey, pointKey);
    if (address.expression)
      throw new DomainError('invalid-input', `${siteKey}/${assetKey}/${pointKey} is derived: correct the points its expression reads`);
    const correction = await this.readings.correct(address.pointId, body.ts, body.void ? null : body.value!, body.reason, by);
    if (!correction)
      throw new DomainError('not-found', `${siteKey}/${assetKey}/${pointKey} has no stored reading at ${body.ts.toISOString()}`);
    return correction;
  }

  async corrections(siteKey: string, assetKey: string, pointKey: string, limit: number) {
    return this.readings.corrections((await this.point(siteKey, assetKey, pointKey)).pointId, limit);
  }

  private async point(siteKey: string, assetKey: string, pointKey: string) {
    const address = await this.registry.findPointAddress(siteKey, assetKey, pointKey);
    if (!address) throw new DomainError('not-found', `point ${siteKey}/${assetKey}/${pointKey} does not exist`);
    return address;
  }
}

/** A multi-state reading's labels (`label` in English, `labelZhTw`); nothing for other points or a value that is no state. */
function labelOf(states: readonly PointState[] | null, value: number): { label?: string; labelZhTw?: string } {
  const state = states ? stateOf(states, value) : undefined;
  return state ? { label: state.en, labelZhTw: state['zh-TW'] ?? state.en } : {};
}
