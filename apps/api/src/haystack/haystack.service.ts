import { Injectable } from '@nestjs/common';
import { inScope } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { localIso, RollupBucket, SiteScope } from '@hallwatch/domain';
import { RawRow, ReadingRepository, RollupRepository, RollupRow } from '@hallwatch/readings';
import {
  HaystackDict,
  HaystackFilterError,
  HaystackValue,
  matchesHaystackFilter,
  parseHaystackFilter,
  PointAddress,
  RegistryRepository,
} from '@hallwatch/registry';
import { HAYSON_MIME_TYPE, HaysonGrid, haysonGrid } from './hayson';
import { equipEntity, haystackTimeZone, haystackUnit, parseEntityId, pointEntity, siteEntity } from './haystack-entities';
import { parseHisRange } from './his-range';

/** Raw readings for ranges up to a day (while kept), hourly rollups up to a month, daily beyond. */
const RAW_UP_TO_MS = 86_400_000;
const HOURLY_UP_TO_MS = 31 * 86_400_000;
/** Raw readings served at most; a busier day is answered from 15-minute rollups. */
const MAX_RAW_ROWS = 10_000;
const MAX_ROLLUP_ROWS = 10_000;

type RollupFold = 'mean' | 'sum' | 'last';
const FOLDS: Record<RollupFold, (row: RollupRow) => number | null> = {
  mean: (row) => row.twMean ?? row.mean,
  sum: (row) => row.consumption,
  last: (row) => row.last,
};

function rollupFold(kind: string): RollupFold {
  if (kind === 'gauge' || kind === 'setpoint') return 'mean';
  return kind === 'interval' ? 'sum' : 'last';
}

/** The Haystack ops Hallwatch answers: about, read by filter, hisRead. Read-only. */
@Injectable()
export class HaystackService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly readings: ReadingRepository,
    private readonly rollups: RollupRepository,
  ) {}

  /** The about op's row (docHaystack/Ops#about); Hallwatch publishes no product or vendor URI. */
  about(now = Date.now()): HaysonGrid {
    const str = (val: string): HaystackValue => ({ kind: 'str', val });
    const utc = (ts: number): HaystackValue => ({ kind: 'dateTime', val: new Date(ts).toISOString(), tz: 'UTC' });
    return haysonGrid([
      {
        haystackVersion: str('4.0'),
        serverName: str('Hallwatch'),
        serverTime: utc(now),
        serverBootTime: utc(now - Math.round(process.uptime() * 1000)),
        productName: str('Hallwatch'),
        productVersion: str('1'),
        vendorName: str('Hallwatch'),
        tz: str('UTC'),
      },
    ]);
  }

  /** The ops offered (docHaystack/Ops#ops): the read-only three, and these two that describe them. */
  ops(): HaysonGrid {
    const op = (name: string, summary: string): HaystackDict => ({
      name: { kind: 'str', val: name },
      summary: { kind: 'str', val: summary },
    });
    return haysonGrid([
      op('about', 'Summary information for server'),
      op('ops', 'Operations supported by this server'),
      op('formats', 'Grid data formats supported by this server'),
      op('read', 'Read entity records in database'),
      op('hisRead', 'Read time series from historian'),
    ]);
  }

  /** The formats (docHaystack/Ops#formats): Hayson both ways, Zinc as request grids only. */
  formats(): HaysonGrid {
    const marker: HaystackValue = { kind: 'marker' };
    const format = (mime: string, send: boolean): HaystackDict => ({
      mime: { kind: 'str', val: mime },
      receive: marker,
      ...(send ? { send: marker } : {}),
    });
    return haysonGrid([format(HAYSON_MIME_TYPE, true), format('application/json', true), format('text/zinc', false)]);
  }

  /** Entities of the caller's sites that match the filter, sites first, then equips, then points, in key order. */
  async read(filterText: string, limit: number, scope: SiteScope): Promise<HaysonGrid> {
    let filter;
    try {
      filter = parseHaystackFilter(filterText);
    } catch (error) {
      if (error instanceof HaystackFilterError) throw new DomainError('invalid-input', error.message);
      throw error;
    }
    const entities = await this.entitiesInScope(scope);
    const resolve = (id: string) => entities.get(id);
    const matching: HaystackDict[] = [];
    for (const entity of entities.values()) {
      if (matching.length >= limit) break;
      if (matchesHaystackFilter(filter, entity, resolve)) matching.push(entity);
    }
    return haysonGrid(matching);
  }

  async hisRead(id: string, rangeText: string, scope: SiteScope, now = Date.now()): Promise<HaysonGrid> {
    const address = parseEntityId(id);
    if (address === undefined) throw new DomainError('not-found', `no point has the id ${JSON.stringify(id.slice(0, 80))}`);
    if (!inScope(scope, address.site)) throw new DomainError('forbidden', `Not scoped to site ${address.site}`);
    if (address.type !== 'point') throw new DomainError('invalid-input', `id: ${id} is a ${address.type}, not a point with history`);
    const [site, point] = await Promise.all([
      this.registry.findSite(address.site),
      this.registry.findPointAddress(address.site, address.asset, address.point),
    ]);
    if (!site || !point) throw new DomainError('not-found', `no point has the id ${id}`);
    const range = parseHisRange(rangeText, site.timezone, now);
    const { rows, rollup } = await this.history(point, range.from, range.to);
    const tz = haystackTimeZone(site.timezone);
    const at = (ts: number): HaystackValue => ({ kind: 'dateTime', val: localIso(ts, site.timezone), tz });
    const unit = haystackUnit(point.unit);
    const value = (val: number): HaystackValue =>
      point.kind === 'status' ? { kind: 'bool', val: val !== 0 } : { kind: 'number', val, unit };
    const grid = haysonGrid(
      rows.map((row) => ({ ts: at(row.ts), val: value(row.value) })),
      {
        id: { kind: 'ref', val: id },
        hisStart: at(range.from),
        hisEnd: at(range.to),
        ...(rollup ? { hisRollup: { kind: 'str', val: rollup.bucket }, hisRollupFold: { kind: 'str', val: rollup.fold } } : {}),
      },
    );
    // Haystack grids name their columns even when empty.
    return rows.length === 0 ? { ...grid, cols: [{ name: 'ts' }, { name: 'val' }] } : grid;
  }

  /**
   * Raw readings while they are kept and few enough, otherwise rollups stamped at the start of
   * their bucket (SkySpark's hisRollup convention): the time-weighted mean of a gauge or setpoint,
   * the amount used in the bucket of an interval point, the last value of a status or a register.
   */
  private async history(
    point: PointAddress,
    from: number,
    to: number,
  ): Promise<{ rows: Array<{ ts: number; value: number }>; rollup?: { bucket: RollupBucket; fold: RollupFold } }> {
    const [start, end] = [new Date(from), new Date(to)];
    if (to - from <= RAW_UP_TO_MS) {
      const raw: RawRow[] = await this.readings.raw(point.pointId, start, end, MAX_RAW_ROWS + 1);
      if (raw.length > 0 && raw.length <= MAX_RAW_ROWS) return { rows: raw };
    }
    const bucket: RollupBucket = to - from <= RAW_UP_TO_MS ? '15m' : to - from <= HOURLY_UP_TO_MS ? '1h' : '1d';
    const fold = rollupFold(point.kind);
    const rollups = await this.rollups.pointSeries(point.pointId, bucket, start, end, MAX_ROLLUP_ROWS);
    const rows = rollups
      .map((row: RollupRow) => ({ ts: row.ts, value: FOLDS[fold](row) }))
      .filter((row): row is { ts: number; value: number } => row.value !== null);
    return { rows, rollup: { bucket, fold } };
  }

  /** Every site, equip and point of the caller's sites by id, in key order. */
  private async entitiesInScope(scope: SiteScope): Promise<Map<string, HaystackDict>> {
    const sites = (await this.registry.listSites()).filter((site) => inScope(scope, site.key));
    const entities = new Map<string, HaystackDict>();
    const equips: HaystackDict[] = [];
    const points: HaystackDict[] = [];
    for (const site of sites) {
      entities.set(site.key, siteEntity(site));
      const [assets, sitePoints] = await Promise.all([this.registry.assetsOf(site.id), this.registry.pointsOfSite(site.id)]);
      const assetsById = new Map(assets.map((asset) => [asset.id, asset]));
      for (const asset of assets) equips.push(equipEntity(site, asset));
      for (const point of sitePoints) {
        const asset = assetsById.get(point.assetId);
        if (asset) points.push(pointEntity(site, asset, point));
      }
    }
    for (const entity of [...equips, ...points]) entities.set((entity.id as { val: string }).val, entity);
    return entities;
  }
}
