import { Injectable } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { ReadingRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { resolveRange } from '../time-query';
import { ReadingsQuery } from './readings.query';

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
}
