import { Injectable } from '@nestjs/common';
import {
  AlertEvaluator,
  AlertRulesRepository,
  pointsOfRule,
  RuleDefinition,
  ruleDefinitionSchema,
  SOURCE_ASSET,
  starterPack,
} from '@hallwatch/alerts';
import { DomainError } from '@hallwatch/core';
import { RegistryFiles, RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { assetTree } from '../sites/asset-tree';

/** Rules through the API: checked against the registry, stored, and announced to every evaluator. */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly evaluator: AlertEvaluator,
    private readonly registry: RegistryRepository,
    private readonly files: RegistryFiles,
  ) {}

  list(site?: string) {
    return this.rules.list(site);
  }

  async get(id: string) {
    const stored = await this.rules.find(id);
    if (!stored) throw new DomainError('not-found', `No alert rule ${id}`);
    return stored;
  }

  async put(site: string, id: string, body: unknown, enabled: boolean, by: string) {
    const parsed = ruleDefinitionSchema.safeParse({ ...(body as object), id, site });
    if (!parsed.success) {
      throw new DomainError(
        'invalid-input',
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
      );
    }
    await this.requireKnownPoints(parsed.data);
    await this.rules.upsert(parsed.data, 'api', by, enabled);
    await this.evaluator.announceChange();
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.rules.remove(id))) throw new DomainError('not-found', `No alert rule ${id}`);
    await this.evaluator.announceChange();
  }

  /** Adds the city-hall starter pack for a site (rules an engineer changed since are left alone). */
  async enableStarterPack(siteKey: string): Promise<{ added: number; rules: string[] }> {
    const rules = starterPack(await this.siteDefinition(siteKey));
    const added = await this.rules.seed(rules, 'starter-pack');
    await this.evaluator.announceChange();
    return { added, rules: rules.map((rule) => rule.id) };
  }

  private async siteDefinition(siteKey: string): Promise<SiteDefinition> {
    const site = await this.registry.findSite(siteKey);
    if (!site) throw new DomainError('not-found', `No site ${siteKey}`);
    const [assets, points] = await Promise.all([this.registry.assetsOf(site.id), this.registry.pointsOfSite(site.id)]);
    return {
      key: site.key,
      name: site.name,
      timezone: site.timezone,
      attributes: site.attributes,
      assets: assetTree(assets, points, (point) => ({
        ...point,
        name: point.name ?? undefined,
        expression: point.expression ?? undefined,
        states: point.states ?? undefined,
      })),
      // OPC UA endpoints live only in the registry files.
      opcua: this.files.sites.find((file) => file.key === siteKey)?.opcua ?? [],
    };
  }

  private async requireKnownPoints(rule: RuleDefinition): Promise<void> {
    const unknown: string[] = [];
    for (const ref of pointsOfRule(rule)) {
      if (ref.asset === SOURCE_ASSET) continue;
      if (!(await this.registry.findPointAddress(rule.site, ref.asset, ref.point))) unknown.push(`${ref.asset}/${ref.point}`);
    }
    if (unknown.length > 0)
      throw new DomainError('invalid-input', `Rule ${rule.id} reads points site ${rule.site} does not have: ${unknown.join(', ')}`);
  }
}
