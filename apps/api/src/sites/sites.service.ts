import { Injectable } from '@nestjs/common';
import { siteBaselineYear } from '@hallwatch/calc';
import { DomainError } from '@hallwatch/core';
import { PointState } from '@hallwatch/domain';
import { ReadingRepository } from '@hallwatch/readings';
import {
  AssetDefinition,
  PointDefinition,
  RegistryChanges,
  RegistryRepository,
  SiteDefinition,
  siteRoles,
  SiteRoles,
  SiteRow,
} from '@hallwatch/registry';
import { assetTree } from './asset-tree';

export interface SiteView {
  key: string;
  name: string;
  /** IANA time zone: the site's days, months, schedules, reports and dashboard clock. */
  timezone: string;
  /** The year its savings and the overview compare with (attribute `baselineYear`, or the default). */
  baselineYear: number;
  attributes: Record<string, unknown>;
}

export interface SiteDetailView extends SiteView {
  assets: Array<{
    key: string;
    name: string;
    type: string;
    tags: string[];
    attributes: Record<string, unknown>;
    points: Array<{
      key: string;
      name: string | null;
      kind: string;
      unit: string;
      tags: string[];
      attributes: Record<string, unknown>;
      expression: string | null;
      /** a multi-state point's states with their labels */
      states: PointState[] | null;
    }>;
  }>;
  /** The main meter, outdoor temperature and chillers, found by their tags. */
  roles: SiteRoles;
}

@Injectable()
export class SitesService {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly changes: RegistryChanges,
    private readonly readings: ReadingRepository,
  ) {}

  async list(): Promise<SiteView[]> {
    return (await this.registry.listSites()).map(toSiteView);
  }

  async get(siteKey: string): Promise<SiteDetailView> {
    const site = await this.requireSite(siteKey);
    const [assets, points] = await Promise.all([this.registry.assetsOf(site.id), this.registry.pointsOfSite(site.id)]);
    const views = assetTree(assets, points, ({ key, name, kind, unit, tags, attributes, expression, states }) => ({
      key,
      name,
      kind,
      unit,
      tags,
      attributes,
      expression,
      states,
    }));
    return { ...toSiteView(site), assets: views, roles: siteRoles({ assets: views }) };
  }

  /** Creates or replaces a site with the assets and points given (existing ones not named are kept). */
  async put(site: SiteDefinition): Promise<SiteDetailView> {
    await this.registry.applySites([site], 'api');
    await this.changes.announce();
    return this.get(site.key);
  }

  async putAsset(siteKey: string, asset: AssetDefinition): Promise<SiteDetailView> {
    const site = await this.requireSite(siteKey);
    await this.registry.applyAsset(site.id, asset, 'api');
    await this.changes.announce();
    return this.get(siteKey);
  }

  async putPoint(siteKey: string, assetKey: string, point: PointDefinition): Promise<SiteDetailView> {
    const site = await this.requireSite(siteKey);
    const asset = await this.registry.findAsset(site.id, assetKey);
    if (!asset) throw new DomainError('not-found', `asset ${siteKey}/${assetKey} does not exist`);
    await this.registry.applyPoint(asset.id, point, 'api');
    await this.changes.announce();
    return this.get(siteKey);
  }

  async replacements(siteKey: string, assetKey: string, pointKey: string) {
    return this.readings.replacements((await this.registerPoint(siteKey, assetKey, pointKey)).pointId);
  }

  async recordReplacement(
    siteKey: string,
    assetKey: string,
    pointKey: string,
    body: { at: Date; startValue: number; note: string | null },
    by: string,
  ) {
    const point = await this.registerPoint(siteKey, assetKey, pointKey);
    return this.readings.recordReplacement(point.pointId, body.at, body.startValue, body.note, by);
  }

  private async registerPoint(siteKey: string, assetKey: string, pointKey: string) {
    const point = await this.registry.findPointAddress(siteKey, assetKey, pointKey);
    if (!point) throw new DomainError('not-found', `point ${siteKey}/${assetKey}/${pointKey} does not exist`);
    if (point.kind !== 'cumulative')
      throw new DomainError('invalid-input', `${siteKey}/${assetKey}/${pointKey} is a ${point.kind} point, not a register`);
    return point;
  }

  async requireSite(siteKey: string): Promise<SiteRow> {
    const site = await this.registry.findSite(siteKey);
    if (!site) throw new DomainError('not-found', `site ${siteKey} does not exist`);
    return site;
  }
}

function toSiteView(site: SiteRow): SiteView {
  return {
    key: site.key,
    name: site.name,
    timezone: site.timezone,
    baselineYear: siteBaselineYear(site.attributes),
    attributes: site.attributes,
  };
}
