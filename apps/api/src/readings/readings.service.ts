import { Injectable } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { ReadingRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { resolveRange } from '../time-query';
import { ReadingsQuery } from './readings.query';
import { CorrectionBody } from './corrections.contract';

@Injectable()
export class ReadingsService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly readings: ReadingRepository,
  ) {}

  async forPoint(siteKey: string, assetKey: string, pointKey: string, query: ReadingsQuery) {
    const [site, address] = await Promise.all([
      this.registry.findSite(siteKey),
      this.registry.findPointAddress(siteKey, assetKey, pointKey),
    ]);
    if (!site || !address) throw new DomainError('not-found', `point ${siteKey}/${assetKey}/${pointKey} does not exist`);
    const { from, to } = resolveRange(query, site.timezone);
    const base = {
      site: siteKey,
      asset: assetKey,
      point: pointKey,
      kind: address.kind,
      unit: address.unit,
      bucket: query.bucket,
      timezone: site.timezone,
      from: from.toISOString(),
      to: to.toISOString(),
    };
    if (query.bucket === 'raw') {
      const rows = await this.readings.raw(address.pointId, from, to, query.limit + 1);
      return { ...base, truncated: rows.length > query.limit, readings: rows.slice(0, query.limit) };
    }
    const rows = await this.readings.rollups(address.pointId, query.bucket, from, to, query.limit + 1);
    return { ...base, truncated: rows.length > query.limit, readings: rows.slice(0, query.limit) };
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
