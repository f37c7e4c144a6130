import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryFile, registryFile, SiteDefinition } from '@hallwatch/registry';
import { BuildingModel } from './building.model';
import { generatePortfolio, parsePortfolioSize, PortfolioSpecError, readRegistry, validateRegistry, writeRegistry } from './portfolio';

const points = (site: SiteDefinition) => site.assets.reduce((sum, asset) => sum + asset.points.length, 0);

describe('the portfolio generator', () => {
  it('gives the same registry for the same seed, and another for another seed', () => {
    const a = generatePortfolio({ buildings: 5, pointsPerBuilding: 300, seed: 7 });
    const b = generatePortfolio({ buildings: 5, pointsPerBuilding: 300, seed: 7 });
    const c = generatePortfolio({ buildings: 5, pointsPerBuilding: 300, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it.each([
    [20, 100],
    [50, 400],
    [4, 2000],
    [3, 50],
    [2, 5000],
  ])('makes %i buildings of about %i points, within a few percent of the size asked', (buildings, perBuilding) => {
    const portfolio = generatePortfolio({ buildings, pointsPerBuilding: perBuilding, seed: 104 });
    expect(portfolio.sites).toHaveLength(buildings);
    for (const site of portfolio.sites) expect(Math.abs(points(site) - perBuilding)).toBeLessThanOrEqual(2);
    const total = portfolio.sites.reduce((sum, site) => sum + points(site), 0);
    expect(Math.abs(total - buildings * perBuilding) / (buildings * perBuilding)).toBeLessThan(0.03);
  });

  it('is valid against the registry file schema, with unique keys, and loads back from a file or a folder unchanged', () => {
    const portfolio = generatePortfolio({ buildings: 12, pointsPerBuilding: 150, seed: 104 });
    expect(registryFile.safeParse(portfolio).success).toBe(true);
    expect(validateRegistry(portfolio)).toEqual(portfolio);
    const dir = mkdtempSync(join(tmpdir(), 'portfolio-'));
    expect(writeRegistry(join(dir, 'portfolio.yaml'), portfolio)).toEqual([join(dir, 'portfolio.yaml')]);
    expect(loadRegistryFile(join(dir, 'portfolio.yaml'))).toEqual(portfolio); // loadRegistryFile also refuses duplicate keys
    expect(writeRegistry(join(dir, 'registry'), portfolio)).toHaveLength(12);
    expect(readdirSync(join(dir, 'registry'))[0]).toBe('portfolio-001.yaml');
    expect(readRegistry(join(dir, 'registry'))).toEqual(portfolio.sites);
    expect(readRegistry(join(dir, 'portfolio.yaml'))).toEqual(portfolio.sites);
  });

  it("builds each a scaled variant of the demo city hall's asset types, sizes varying by building", () => {
    const portfolio = generatePortfolio({ buildings: 30, pointsPerBuilding: 400, seed: 104 });
    for (const site of portfolio.sites) {
      const types = new Set(site.assets.map((asset) => asset.type));
      for (const type of ['electricity-meter', 'chiller', 'ahu', 'zone', 'water-meter', 'weather-station']) expect(types).toContain(type);
      const incomer = site.assets.find((asset) => asset.attributes.role === 'main' && asset.type === 'electricity-meter')!;
      expect(incomer.points.map((point) => point.key)).toEqual(expect.arrayContaining(['kW', 'kWh']));
      // Sub-meters of one load split it between them.
      for (const load of ['chiller-plant', 'lighting', 'ahu', 'elevators', 'it', 'plug']) {
        const shares = site.assets.filter((asset) => asset.simulation?.load === load).map((asset) => Number(asset.simulation!.share));
        expect(shares.length).toBeGreaterThan(0);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 2);
      }
      for (const zone of site.assets.filter((asset) => asset.type === 'zone'))
        expect(site.assets.some((asset) => asset.key === zone.attributes.ahu)).toBe(true);
    }
    const areas = new Set(portfolio.sites.map((site) => site.attributes.floorAreaM2));
    const chillerSizes = new Set(
      portfolio.sites.map((site) => site.assets.find((asset) => asset.type === 'chiller')!.attributes.capacityRt),
    );
    expect(areas.size).toBeGreaterThan(20);
    expect(chillerSizes.size).toBeGreaterThan(10);
  });

  it('drives the building model: the main incomer is the sub-meters plus losses, and the load follows the size', () => {
    const portfolio = generatePortfolio({ buildings: 10, pointsPerBuilding: 200, seed: 3 });
    const noon = Date.parse('2025-07-02T14:00:00+08:00');
    const peaks = portfolio.sites.map((site) => {
      const values = new BuildingModel(site, 3).sample(noon);
      const submeters = site.assets
        .filter((asset) => asset.attributes.role === 'submeter')
        .reduce((sum, asset) => sum + values.get(asset.key)!.kW, 0);
      const main = values.get('main-incomer')!.kW;
      expect(main).toBeCloseTo(submeters * 1.02, -1);
      expect(main).toBeLessThan(Number(site.attributes.contractCapacityKw) * 1.1);
      expect(main).toBeGreaterThan(Number(site.attributes.contractCapacityKw) * 0.3);
      const chiller = values.get('chiller-1')!;
      expect(chiller.kW / chiller.tons).toBeLessThan(1);
      return { area: Number(site.attributes.floorAreaM2), main };
    });
    const [smallest, largest] = [...peaks].sort((a, b) => a.area - b.area).filter((_, i, all) => i === 0 || i === all.length - 1);
    expect(largest.main).toBeGreaterThan(smallest.main);
  });

  it('reads NxM sizes and refuses what it cannot build', () => {
    expect(parsePortfolioSize('50x400')).toEqual({ buildings: 50, pointsPerBuilding: 400 });
    expect(parsePortfolioSize('500×2000')).toEqual({ buildings: 500, pointsPerBuilding: 2000 });
    expect(() => parsePortfolioSize('50 buildings')).toThrow(PortfolioSpecError);
    expect(() => generatePortfolio({ buildings: 0, pointsPerBuilding: 100, seed: 1 })).toThrow(PortfolioSpecError);
    expect(() => generatePortfolio({ buildings: 2, pointsPerBuilding: 20, seed: 1 })).toThrow(/from 50 to/);
  });
});
