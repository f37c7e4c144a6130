import { join } from 'node:path';
import { loadRegistryFile, SiteDefinition } from '@hallwatch/registry';
import { BuildingModel } from './building.model';
import { generateMessages } from './messages';

const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const at = (iso: string) => Date.parse(iso);
const options = (from: string, to: string, seed = 104) => ({
  seed,
  from: at(from),
  to: at(to),
  tickMs: 60_000,
  topicPrefix: 'hallwatch/v1',
});

/** kWh of the main incomer's register over a day, and its kW integrated over the same day. */
function day(from: string, to: string) {
  const model = new BuildingModel(site, 7);
  let first: number | undefined;
  let last = 0;
  let integrated = 0;
  let peak = 0;
  for (let ts = at(from); ts <= at(to); ts += 60_000) {
    const incomer = model.sample(ts).get('main-incomer')!;
    if (first === undefined) first = incomer.kWh;
    else integrated += incomer.kW / 60;
    last = incomer.kWh;
    peak = Math.max(peak, incomer.kW);
  }
  return { kWh: last - first!, integrated, peak };
}

describe('the demo city hall model', () => {
  it('gives byte-identical messages for the same seed, and different ones for another', () => {
    const a = [...generateMessages(site, options('2025-07-01T08:00:00+08:00', '2025-07-01T09:00:00+08:00'))];
    const b = [...generateMessages(site, options('2025-07-01T08:00:00+08:00', '2025-07-01T09:00:00+08:00'))];
    const c = [...generateMessages(site, options('2025-07-01T08:00:00+08:00', '2025-07-01T09:00:00+08:00', 105))];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(a[0].topic).toMatch(/^hallwatch\/v1\/demo-city-hall\//);
  });

  it('uses far more on a summer weekday than on a winter Sunday, with the register equal to the integrated power', () => {
    const summer = day('2025-07-02T00:00:00+08:00', '2025-07-03T00:00:00+08:00');
    const winter = day('2025-01-12T00:00:00+08:00', '2025-01-13T00:00:00+08:00');
    expect(summer.kWh).toBeGreaterThan(1.8 * winter.kWh);
    expect(summer.kWh).toBeGreaterThan(40_000);
    expect(summer.kWh).toBeLessThan(110_000);
    expect(summer.peak).toBeGreaterThan(3_500);
    expect(summer.peak).toBeLessThan(6_000);
    expect(summer.kWh).toBeCloseTo(summer.integrated, -1);
  });

  it('keeps the chiller relation tons = 1.163 flow deltaT / 3.517, and PV at zero at night', () => {
    const values = new BuildingModel(site, 1).sample(at('2025-07-02T14:00:00+08:00'));
    const chiller = values.get('chiller-1')!;
    expect(chiller.running).toBe(1);
    expect(chiller.tons).toBeCloseTo((1.163 * chiller.flow * (chiller.chwrT - chiller.chwsT)) / 3.517, -1);
    expect(chiller.kW / chiller.tons).toBeGreaterThan(0.5);
    expect(chiller.kW / chiller.tons).toBeLessThan(0.9);
    expect(values.get('pv-roof')!.kW).toBeGreaterThan(10);
    expect(new BuildingModel(site, 1).sample(at('2025-07-02T23:00:00+08:00')).get('pv-roof')!.kW).toBe(0);
  });

  it("gives each chiller's run state as one of its mode point's states, on while it runs and off while it does not", () => {
    const states = (key: string) => site.assets.find((asset) => asset.key === key)!.points.find((point) => point.key === 'mode')!.states!;
    // a summer afternoon stages some chillers on; a winter night none
    for (const iso of ['2025-07-02T14:00:00+08:00', '2025-01-12T03:00:00+08:00']) {
      const values = new BuildingModel(site, 1).sample(at(iso));
      for (const key of ['chiller-1', 'chiller-2', 'chiller-3', 'chiller-4']) {
        const chiller = values.get(key)!;
        const label = states(key).find((state) => state.value === chiller.mode)?.en;
        expect([iso, key, label]).toEqual([iso, key, chiller.running === 1 ? 'On' : 'Off']);
      }
    }
  });

  it('sends a chiller only the values of the points it has', () => {
    const bare: SiteDefinition = {
      ...site,
      assets: site.assets
        .filter((asset) => asset.key === 'chiller-1')
        .map((asset) => ({ ...asset, points: asset.points.filter((point) => point.key !== 'mode') })),
    };
    const chiller = new BuildingModel(bare, 1).sample(at('2025-07-02T14:00:00+08:00')).get('chiller-1')!;
    expect(Object.keys(chiller).sort()).toEqual(['alarm', 'chwrT', 'chwsT', 'cwrT', 'cwsT', 'flow', 'kW', 'running', 'tons']);
  });

  it('wraps a register at its rollover maximum, never below zero', () => {
    const small: SiteDefinition = {
      ...site,
      assets: site.assets
        .filter((asset) => asset.key === 'water-main')
        .map((asset) => ({
          ...asset,
          points: asset.points.map((point) => (point.key === 'm3' ? { ...point, attributes: { rolloverAt: 100 } } : point)),
        })),
    };
    const model = new BuildingModel(small, 3);
    const readings: number[] = [];
    for (let ts = at('2025-07-02T09:00:00+08:00'); ts < at('2025-07-03T09:00:00+08:00'); ts += 600_000)
      readings.push(model.sample(ts).get('water-main')!.m3);
    expect(Math.min(...readings)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...readings)).toBeLessThan(100);
    expect(readings.some((value, i) => i > 0 && value < readings[i - 1])).toBe(true);
  });

  it("runs the building on its site's clock: offices in New York fill at 10:00 New York time", () => {
    const newYork: SiteDefinition = { ...site, timezone: 'America/New_York' };
    const lighting = (model: BuildingModel, iso: string) => model.sample(at(iso)).get('submeter-lighting-low')!.kW;
    // Tuesday 8 July 2025, 10:00 EDT: a working morning in New York, 22:00 in Taipei.
    expect(lighting(new BuildingModel(newYork, 7), '2025-07-08T10:00:00-04:00')).toBeGreaterThan(
      3 * lighting(new BuildingModel(site, 7), '2025-07-08T10:00:00-04:00'),
    );
    // 03:00 EDT is 15:00 in Taipei: the Taipei hall is full, the New York one dark.
    expect(lighting(new BuildingModel(site, 7), '2025-07-08T03:00:00-04:00')).toBeGreaterThan(
      3 * lighting(new BuildingModel(newYork, 7), '2025-07-08T03:00:00-04:00'),
    );
  });
});
