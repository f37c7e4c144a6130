import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { PointKind, PointState } from '@hallwatch/domain';
import { AssetDefinition, PointDefinition, SiteDefinition } from './registry-file';

export type Origin = 'registry' | 'api' | 'ingest';
type Attributes = Record<string, string | number | boolean>;

export interface SiteRow {
  id: number;
  key: string;
  name: string;
  timezone: string;
  attributes: Attributes;
}

export interface AssetRow {
  id: number;
  siteId: number;
  key: string;
  name: string;
  type: string;
  tags: string[];
  attributes: Attributes;
}

export interface PointRow {
  id: number;
  assetId: number;
  key: string;
  name: string | null;
  kind: PointKind;
  unit: string;
  tags: string[];
  attributes: Attributes;
  expression: string | null;
  /** a multi-state point's states, null for the other kinds */
  states: PointState[] | null;
}

/** A point with the keys of its site and asset: what ingest maps topics to. */
export interface PointAddress {
  pointId: number;
  site: string;
  asset: string;
  point: string;
  kind: PointKind;
  /** for derived points: how they are computed */
  expression: string | null;
  /** a multi-state point's states, null for the other kinds */
  states: PointState[] | null;
}

/** Sites, assets and points in the database. Upserts by key, so applying a file twice changes nothing. */
@Injectable()
export class RegistryRepository {
  constructor(private readonly db: Database) {}

  async applySites(sites: readonly SiteDefinition[], origin: Origin): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const site of sites) {
        const siteId = await this.upsertSite(tx, site, origin);
        for (const asset of site.assets) {
          const assetId = await this.upsertAsset(tx, siteId, asset, origin);
          for (const point of asset.points) await this.upsertPoint(tx, assetId, point, origin);
        }
      }
    });
  }

  /** One asset with its points, in one transaction. */
  async applyAsset(siteId: number, asset: AssetDefinition, origin: Origin): Promise<void> {
    await this.db.transaction(async (tx) => {
      const assetId = await this.upsertAsset(tx, siteId, asset, origin);
      for (const point of asset.points) await this.upsertPoint(tx, assetId, point, origin);
    });
  }

  async applyPoint(assetId: number, point: PointDefinition, origin: Origin): Promise<void> {
    await this.upsertPoint(this.db, assetId, point, origin);
  }

  async upsertSite(tx: Queryable, site: Omit<SiteDefinition, 'assets'>, origin: Origin): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `insert into sites (key, name, timezone, attributes, origin) values ($1, $2, $3, $4, $5)
       on conflict (key) do update set name = excluded.name, timezone = excluded.timezone,
         attributes = excluded.attributes, origin = excluded.origin, updated_at = now()
       returning id`,
      [site.key, site.name, site.timezone, JSON.stringify(site.attributes), origin],
    );
    return row.id;
  }

  async upsertAsset(tx: Queryable, siteId: number, asset: Omit<AssetDefinition, 'points'>, origin: Origin): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `insert into assets (site_id, key, name, type, tags, attributes, origin) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (site_id, key) do update set name = excluded.name, type = excluded.type, tags = excluded.tags,
         attributes = excluded.attributes, origin = excluded.origin, updated_at = now()
       returning id`,
      [siteId, asset.key, asset.name, asset.type, asset.tags, JSON.stringify(asset.attributes), origin],
    );
    return row.id;
  }

  async upsertPoint(tx: Queryable, assetId: number, point: PointDefinition, origin: Origin): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `insert into points (asset_id, key, name, kind, unit, tags, attributes, expression, states, origin) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (asset_id, key) do update set name = excluded.name, kind = excluded.kind, unit = excluded.unit,
         tags = excluded.tags, attributes = excluded.attributes, expression = excluded.expression, states = excluded.states,
         origin = excluded.origin, updated_at = now()
       returning id`,
      [
        assetId,
        point.key,
        point.name ?? null,
        point.kind,
        point.unit,
        point.tags,
        JSON.stringify(point.attributes),
        point.expression ?? null,
        point.states ? JSON.stringify(point.states) : null,
        origin,
      ],
    );
    return row.id;
  }

  /** For discovered keys (INGEST_UNKNOWN=register): creates with defaults, never overwrites. */
  async upsertSiteIfAbsent(tx: Queryable, key: string): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `insert into sites (key, name, origin) values ($1, $1, 'ingest')
       on conflict (key) do update set key = excluded.key returning id`,
      [key],
    );
    return row.id;
  }

  async upsertAssetIfAbsent(tx: Queryable, siteId: number, key: string): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `insert into assets (site_id, key, name, type, origin) values ($1, $2, $2, 'unknown', 'ingest')
       on conflict (site_id, key) do update set key = excluded.key returning id`,
      [siteId, key],
    );
    return row.id;
  }

  async upsertPointIfAbsent(tx: Queryable, assetId: number, key: string): Promise<void> {
    await tx.query(
      `insert into points (asset_id, key, kind, origin) values ($1, $2, 'gauge', 'ingest') on conflict (asset_id, key) do nothing`,
      [assetId, key],
    );
  }

  async listSites(): Promise<SiteRow[]> {
    return this.db.query<SiteRow>('select id, key, name, timezone, attributes from sites order by key');
  }

  async findSite(key: string): Promise<SiteRow | undefined> {
    const [row] = await this.db.query<SiteRow>('select id, key, name, timezone, attributes from sites where key = $1', [key]);
    return row;
  }

  async findAsset(siteId: number, key: string): Promise<AssetRow | undefined> {
    const [row] = await this.db.query<AssetRow>(
      `select id, site_id as "siteId", key, name, type, tags, attributes from assets where site_id = $1 and key = $2`,
      [siteId, key],
    );
    return row;
  }

  async assetsOf(siteId: number): Promise<AssetRow[]> {
    return this.db.query<AssetRow>(
      `select id, site_id as "siteId", key, name, type, tags, attributes from assets where site_id = $1 order by key`,
      [siteId],
    );
  }

  async pointsOfSite(siteId: number): Promise<PointRow[]> {
    return this.db.query<PointRow>(
      `select p.id, p.asset_id as "assetId", p.key, p.name, p.kind, p.unit, p.tags, p.attributes, p.expression, p.states
       from points p join assets a on a.id = p.asset_id where a.site_id = $1 order by a.key, p.key`,
      [siteId],
    );
  }

  async findPointAddress(site: string, asset: string, point: string): Promise<(PointAddress & { unit: string }) | undefined> {
    const [row] = await this.db.query<PointAddress & { unit: string }>(
      `select p.id as "pointId", s.key as site, a.key as asset, p.key as point, p.kind, p.expression, p.states, p.unit
       from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and a.key = $2 and p.key = $3`,
      [site, asset, point],
    );
    return row;
  }

  /** The registers whose registry entry sets no `expectedIntervalSeconds`: their interval is learned from their readings. */
  async registersWithoutInterval(): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `select id from points where kind = 'cumulative' and not (attributes ? 'expectedIntervalSeconds')`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Stores each point's learned interval where it has none or the new one differs by more than
   * `relearnRatio` of it, inside a transaction the caller holds; returns the points it changed.
   */
  async storeLearnedIntervals(
    tx: Queryable,
    learned: readonly { pointId: number; seconds: number }[],
    relearnRatio: number,
  ): Promise<number[]> {
    if (learned.length === 0) return [];
    const rows = await tx.query<{ id: number }>(
      `update points p set learned_interval_seconds = l.seconds
       from unnest($1::int[], $2::float8[]) as l (point_id, seconds)
       where p.id = l.point_id
         and (p.learned_interval_seconds is null or abs(l.seconds - p.learned_interval_seconds) > $3::float8 * p.learned_interval_seconds)
       returning p.id`,
      [learned.map((entry) => entry.pointId), learned.map((entry) => entry.seconds), relearnRatio],
    );
    return rows.map((row) => row.id);
  }

  /** Every point with its keys: the map ingest resolves topics and value keys with. */
  async allPointAddresses(): Promise<PointAddress[]> {
    return this.db.query<PointAddress>(
      `select p.id as "pointId", s.key as site, a.key as asset, p.key as point, p.kind, p.expression, p.states
       from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id`,
    );
  }
}
