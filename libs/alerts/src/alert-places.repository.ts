import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { Breach, RuleDefinition } from './rules';
import { AlertFacts } from './text/alert-facts';

interface PlaceRow {
  site: string;
  asset: string | null;
  floor: string | null;
}

/** What the registry calls an alert's place and its points: the names and units its text is made of. */
@Injectable()
export class AlertPlacesRepository {
  constructor(private readonly db: Database) {}

  /** An alert's facts: the rule's kind and names, the place by its registry names, and each breach with its point's unit. */
  async factsFor(
    rule: RuleDefinition | undefined,
    site: string,
    target: string,
    breaches: Breach[],
    reopened: boolean,
  ): Promise<AlertFacts> {
    const [place] = await this.db.query<PlaceRow>(
      `select s.name as site, a.name as asset, a.attributes->>'floor' as floor
       from sites s left join assets a on a.site_id = s.id and a.key = $2 where s.key = $1`,
      [site, target],
    );
    const assets = [...new Set(breaches.map((breach) => breach.point.asset))];
    const points = await this.db.query<{ asset: string; point: string; unit: string; name: string | null }>(
      `select a.key as asset, p.key as point, p.unit, p.name from points p
       join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and a.key = any($2::text[])`,
      [site, assets],
    );
    const pointOf = (breach: Breach) => points.find((p) => p.asset === breach.point.asset && p.point === breach.point.point);
    return {
      kind: rule?.kind ?? null,
      names: rule?.names ?? null,
      site: place?.site ?? site,
      floor: place?.floor ?? null,
      asset: place?.asset ?? null,
      target,
      breaches: breaches.map((breach) => ({ ...breach, unit: pointOf(breach)?.unit ?? '', pointName: pointOf(breach)?.name ?? null })),
      reopened,
    };
  }
}
