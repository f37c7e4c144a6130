import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { Database } from '@hallwatch/db';
import { LiveReading, liveReading, Reading, stateOf } from '@hallwatch/domain';
import { RawRetention } from '@hallwatch/readings';
import { PointAddress, RegistryChanges, RegistryRepository } from '@hallwatch/registry';
import { DerivedPoints } from './derived/derived-points';
import { ParsedReading, Rejection } from './parse-result';

/** After a miss, the directory reloads from the database at most this often. */
const RELOAD_AFTER_MISS_MS = 2_000;
/** Retention moves points' horizons (hourly at most); they are read again this often. */
const HORIZONS_MAX_AGE_MS = 60_000;

const keyOf = (site: string, asset: string, point: string) => `${site}/${asset}/${point}`;

/**
 * Maps the keys devices send (site/asset/point) to point ids, from an in-memory copy of the
 * registry, reloaded when any process announces a registry change. An unknown key also reloads
 * it (at most every few seconds); what is still unknown is rejected, or registered when
 * INGEST_UNKNOWN=register.
 */
@Injectable()
export class PointDirectory implements OnModuleInit {
  private readonly logger = new Logger(PointDirectory.name);
  private byKey = new Map<string, PointAddress>();
  private byId = new Map<number, PointAddress>();
  private loadedAt = 0;
  /** Derived points of the registry: the refresh loop computes them from the stored readings. */
  readonly derived = new DerivedPoints();
  /** A reload announced by another process; lookups wait for it rather than miss. */
  private announcedReload?: Promise<void>;
  /** Per point, the retention horizon (epoch ms): older readings would touch final rollups. */
  private horizons = new Map<number, number>();
  private horizonsLoadedAt = 0;

  constructor(
    private readonly registry: RegistryRepository,
    private readonly changes: RegistryChanges,
    private readonly db: Database,
    private readonly config: AppConfig,
    private readonly retention: RawRetention,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
    await this.changes.onChange(() => {
      this.announcedReload = this.load()
        .catch((error: Error) => this.logger.warn({ err: error }, 'registry reload failed'))
        .finally(() => (this.announcedReload = undefined));
    });
  }

  async load(): Promise<void> {
    const addresses = await this.registry.allPointAddresses();
    this.byKey = new Map(addresses.map((address) => [keyOf(address.site, address.asset, address.point), address]));
    this.byId = new Map(addresses.map((address) => [address.pointId, address]));
    const ignored = this.derived.define(
      addresses.flatMap(({ pointId, site, asset, point, expression }) => (expression ? [{ pointId, site, asset, point, expression }] : [])),
      (site, asset, point) => this.byKey.get(keyOf(site, asset, point))?.pointId,
    );
    for (const { point, reason } of ignored) this.logger.warn(`derived point ${point} is not computed: ${reason}`);
    this.loadedAt = Date.now();
    await this.loadHorizons();
  }

  addressOf(pointId: number): PointAddress | undefined {
    return this.byId.get(pointId);
  }

  /** Stored readings as the live stream carries them (by keys, with their quality); a point no longer known is left out. */
  liveReadings(readings: readonly Reading[]): LiveReading[] {
    return readings.flatMap((reading) => {
      const address = this.byId.get(reading.pointId);
      return address ? [liveReading(address, reading)] : [];
    });
  }

  async resolve(
    parsed: readonly ParsedReading[],
  ): Promise<{ resolved: Array<ParsedReading & { pointId: number }>; rejections: Rejection[] }> {
    if (this.announcedReload) await this.announcedReload;
    // One key per reading, made once: a back-filled message carries hundreds.
    const keys = parsed.map((reading) => keyOf(reading.site, reading.asset, reading.point));
    if (keys.some((key) => !this.byKey.has(key)) && Date.now() - this.loadedAt > RELOAD_AFTER_MISS_MS) await this.load();
    const unknown = parsed.filter((_, index) => !this.byKey.has(keys[index]));
    if (unknown.length > 0 && this.config.get('INGEST_UNKNOWN') === 'register') await this.register(unknown);
    if (Date.now() - this.horizonsLoadedAt > HORIZONS_MAX_AGE_MS) await this.loadHorizons();

    const resolved: Array<ParsedReading & { pointId: number }> = [];
    const rejections: Rejection[] = [];
    parsed.forEach((reading, index) => {
      const key = keys[index];
      const address = this.byKey.get(key);
      const horizon = address && this.horizons.get(address.pointId);
      if (!address) rejections.push(this.unknownRejection(reading));
      else if (horizon !== undefined && reading.ts < horizon)
        rejections.push({
          reason: 'older-than-retention',
          detail: `${new Date(reading.ts).toISOString()} is before ${new Date(horizon).toISOString()}, where raw readings of ${key} are no longer kept and its rollups are final`,
          point: reading.point,
        });
      else if (address.kind === 'multistate' && !stateOf(address.states ?? [], reading.value))
        rejections.push({
          reason: 'bad-value',
          detail: `${reading.value} is not a state of ${key} (${(address.states ?? []).map((state) => `${state.value} ${state.en}`).join(', ')})`,
          point: reading.point,
        });
      else resolved.push({ ...reading, pointId: address.pointId });
    });
    return { resolved, rejections };
  }

  private async loadHorizons(): Promise<void> {
    this.horizons = await this.retention.horizons();
    this.horizonsLoadedAt = Date.now();
  }

  private unknownRejection(reading: ParsedReading): Rejection {
    const known = [...this.byKey.values()];
    if (!known.some((address) => address.site === reading.site)) {
      return { reason: 'unknown-site', detail: `site ${reading.site} is not registered`, point: reading.point };
    }
    if (!known.some((address) => address.site === reading.site && address.asset === reading.asset)) {
      return { reason: 'unknown-asset', detail: `asset ${reading.site}/${reading.asset} is not registered`, point: reading.point };
    }
    return {
      reason: 'unknown-point',
      detail: `point ${keyOf(reading.site, reading.asset, reading.point)} is not registered`,
      point: reading.point,
    };
  }

  /** Registers unknown keys as gauges, for sites that prefer discovery over declaration. */
  private async register(unknown: readonly ParsedReading[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const reading of unknown) {
        const siteId = await this.registry.upsertSiteIfAbsent(tx, reading.site);
        const assetId = await this.registry.upsertAssetIfAbsent(tx, siteId, reading.asset);
        await this.registry.upsertPointIfAbsent(tx, assetId, reading.point);
      }
    });
    this.logger.log(`registered ${unknown.length} unknown point(s) (INGEST_UNKNOWN=register)`);
    await this.load();
  }
}
