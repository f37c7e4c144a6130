import type { AssetInfo, SiteDetail } from '../api/api-types';
import { floorLevel, hasPoint, siteModel } from './site-model';

const asset = (
  key: string,
  type: string,
  attributes: Record<string, unknown> = {},
  points: string[] = [],
  tags: string[] = [],
): AssetInfo => ({
  key,
  name: key,
  type,
  tags,
  attributes,
  points: points.map((point) => ({
    key: point,
    name: null,
    kind: 'gauge',
    unit: '',
    tags: [],
    attributes: point === 'kWh' ? { rolloverAt: 4294967.295 } : {},
    expression: null,
    states: null,
  })),
});

const noRoles: SiteDetail['roles'] = { mainMeter: null, outdoorTemperature: null, outdoorHumidity: null, chillers: [] };
const site = (assets: AssetInfo[], roles = noRoles, attributes: Record<string, unknown> = { contractCapacityKw: 6000 }): SiteDetail => ({
  key: 'demo',
  name: 'Demo',
  timezone: 'Asia/Taipei',
  baselineYear: 2015,
  attributes,
  assets,
  roles,
});

describe('siteModel', () => {
  it("takes the main meter, its power, the outdoor points and the chillers from the server's roles; zones per floor and PV by type", () => {
    const model = siteModel(
      site(
        [
          asset('submeter-ahu', 'electricity-meter', { role: 'submeter' }),
          asset('main-incomer', 'electricity-meter', { role: 'main' }, ['kW', 'kWh']),
          asset('chiller-10', 'chiller'),
          asset('chiller-2', 'chiller'),
          asset('zone-11f-east', 'zone', { floor: '11F' }),
          asset('zone-2f-west', 'zone', { floor: '2F' }),
          asset('zone-2f-east', 'zone', { floor: '2F' }),
          asset('zone-b1', 'zone', { floor: 'B1' }),
          asset('pv-roof', 'pv-inverter', {}, ['kW']),
          asset('weather', 'weather-station'),
        ],
        {
          mainMeter: { asset: 'main-incomer', power: 'kW', energy: 'kWh' },
          outdoorTemperature: { asset: 'weather', point: 'outdoorT' },
          outdoorHumidity: null,
          chillers: ['chiller-10', 'chiller-2'],
        },
      ),
    );
    expect(model.mainMeter?.key).toBe('main-incomer');
    expect(model.mainPower).toEqual({ asset: 'main-incomer', point: 'kW' });
    expect(model.chillers.map((chiller) => chiller.key)).toEqual(['chiller-2', 'chiller-10']);
    expect(model.floors.map((floor) => [floor.floor, floor.zones.map((zone) => zone.key)])).toEqual([
      ['B1', ['zone-b1']],
      ['2F', ['zone-2f-east', 'zone-2f-west']],
      ['11F', ['zone-11f-east']],
    ]);
    expect(model.pv?.key).toBe('pv-roof');
    expect(model.outdoorTemperature).toEqual({ asset: 'weather', point: 'outdoorT' });
  });

  it('copes with a site that has none of it', () => {
    const empty = siteModel(site([], noRoles, { contractCapacityKw: 'lots' }));
    expect(empty).toMatchObject({ mainMeter: null, mainPower: null, chillers: [], floors: [], pv: null, outdoorTemperature: null });
  });

  it('orders floors from the basement up', () => {
    expect(['12F', 'B2', '3F', 'RF', 'B1', '1'].sort((a, b) => floorLevel(a) - floorLevel(b))).toEqual([
      'B2',
      'B1',
      '1',
      '3F',
      '12F',
      'RF',
    ]);
  });

  it('tells whether an asset has a point', () => {
    expect(hasPoint(asset('pv', 'pv-inverter', {}, ['kW']), 'kW')).toBe(true);
    expect(hasPoint(asset('pv', 'pv-inverter', {}, ['kW']), 'kWh')).toBe(false);
    expect(hasPoint(null, 'kW')).toBe(false);
  });
});
