import { Injectable } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { RegistryRepository } from '@hallwatch/registry';
import { FloorPlan, FloorPlansRepository } from './floor-plans.repository';
import { safeSvgPlan, SvgRejected } from './svg-plan';

export type FloorPlanInput = { kind: 'grid' } | { kind: 'svg'; svg: string };

/** A floor's plan: an uploaded drawing, checked before it is stored, or the zone grid from the registry. */
@Injectable()
export class FloorPlansService {
  constructor(
    private readonly plans: FloorPlansRepository,
    private readonly registry: RegistryRepository,
  ) {}

  async get(site: string, floor: string): Promise<FloorPlan> {
    await this.requireFloor(site, floor);
    const plan = await this.plans.find(site, floor);
    if (!plan) throw new DomainError('not-found', `floor ${floor} of site ${site} has no plan`);
    return plan;
  }

  async put(site: string, floor: string, input: FloorPlanInput, by: string): Promise<FloorPlan> {
    await this.requireFloor(site, floor);
    let svg: string | null = null;
    if (input.kind === 'svg') {
      try {
        svg = safeSvgPlan(input.svg);
      } catch (error) {
        if (error instanceof SvgRejected) throw new DomainError('invalid-input', `floor plan refused (${error.reason}): ${error.message}`);
        throw error;
      }
    }
    await this.plans.put({ site, floor, kind: input.kind, svg }, by);
    return (await this.plans.find(site, floor))!;
  }

  /** A floor is one that zones of the site name in their `floor` attribute. */
  private async requireFloor(siteKey: string, floor: string): Promise<void> {
    const site = await this.registry.findSite(siteKey);
    if (!site) throw new DomainError('not-found', `site ${siteKey} does not exist`);
    const floors = new Set(
      (await this.registry.assetsOf(site.id)).map((asset) => asset.attributes.floor).filter((value) => typeof value === 'string'),
    );
    if (!floors.has(floor)) throw new DomainError('not-found', `site ${siteKey} has no floor ${floor}`);
  }
}
