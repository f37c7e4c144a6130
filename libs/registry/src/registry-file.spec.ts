import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryFile, RegistryFileError } from './registry-file';

const demoFile = join(__dirname, '../../../registry/demo-city-hall.yaml');

function writeTemp(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'registry-')), 'site.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadRegistryFile', () => {
  it('loads the demo city hall with chillers, zones, water, PV and weather', () => {
    const [site] = loadRegistryFile(demoFile).sites;
    expect(site.key).toBe('demo-city-hall');
    const types = new Set(site.assets.map((asset) => asset.type));
    expect([...types].sort()).toEqual(
      ['ahu', 'chiller', 'electricity-meter', 'fuel-log', 'pv-inverter', 'water-meter', 'weather-station', 'zone'].sort(),
    );
    expect(site.assets.filter((asset) => asset.type === 'chiller')).toHaveLength(4);
    const incomer = site.assets.find((asset) => asset.key === 'main-incomer');
    expect(incomer?.points.find((point) => point.key === 'kWh')).toMatchObject({ kind: 'cumulative', unit: 'kWh' });
  });

  it('names the file and the path of a wrong value', () => {
    const path = writeTemp('version: 1\nsites:\n  - key: Bad Key\n    name: x\n');
    expect(() => loadRegistryFile(path)).toThrow(RegistryFileError);
    expect(() => loadRegistryFile(path)).toThrow(/site\.yaml: sites\.0\.key: site keys are/);
  });

  it('rejects a point declared twice', () => {
    const point = '{ key: kW, kind: gauge }';
    const path = writeTemp(
      `version: 1\nsites:\n  - key: s\n    name: S\n    assets:\n      - key: a\n        name: A\n        type: meter\n        points: [${point}, ${point}]\n`,
    );
    expect(() => loadRegistryFile(path)).toThrow(/duplicate key s\/a\/kW/);
  });
});
