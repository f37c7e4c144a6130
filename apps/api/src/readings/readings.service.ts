import { Injectable } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { ReadingRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { ReadingsQuery } from './readings.query';

@Injectable()
export class ReadingsService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly readings: ReadingRepository,
  ) {}

  async forPoint(siteKey: string, assetKey: string, pointKey: string, query: ReadingsQuery) {
    const address = await this.registry.findPointAddress(siteKey, assetKey, pointKey);
    if (!address) throw new DomainError('not-found', `point ${siteKey}/${assetKey}/${pointKey} does not exist`);
    const base = {
      site: siteKey,
      asset: assetKey,
      point: pointKey,
      kind: address.kind,
      unit: address.unit,
      bucket: query.bucket,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
    };
    if (query.bucket === 'raw') {
      const rows = await this.readings.raw(address.pointId, query.from, query.to, query.limit + 1);
      return { ...base, truncated: rows.length > query.limit, readings: rows.slice(0, query.limit) };
    }
    const rows = await this.readings.rollups(address.pointId, query.bucket, query.from, query.to, query.limit + 1);
    return { ...base, truncated: rows.length > query.limit, readings: rows.slice(0, query.limit) };
  }
}
