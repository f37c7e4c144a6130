import type { AssetInfo, SiteDetail } from '../api/api-types';
import { addressesOf, floorLevel, pointInfo, siteModel } from './site-model';

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

const noRoles: SiteDetail['roles'] = {
  mainMeter: null,
  outdoorTemperature: null,
  outdoorHumidity: null,
  chillers: [],
  chillerPoints: [],
  zones: [],
  pv: null,
};
const chillerAt = (asset: string) => ({
  asset,
  running: 'on',
  runState: 'state',
  alarm: null,
  power: 'P',
  leavingTemp: 'chwl',
  enteringTemp: 'chwe',
  capacity: 'rt',
});
const zoneAt = (asset: string) => ({ asset, temperature: 't', humidity: null, co2: 'ppm', setpoint: null, occupied: null });
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
  it("takes every part from the server's roles (found there by tags), never from asset types or key names", () => {
    const model = siteModel(
      site(
        [
          asset('submeter-ahu', 'electricity-meter', { role: 'submeter' }),
          asset('incomer-a', 'equipment', {}, ['P', 'E']),
          asset('ch-10', 'equipment'),
          asset('ch-2', 'equipment'),
          // a zone-typed asset the server does not name a zone is none
          asset('zone-unlisted', 'zone', { floor: '3F' }),
          asset('room-11e', 'equipment', { floor: '11F' }),
          asset('room-2w', 'equipment', { floor: '2F' }),
          asset('room-2e', 'equipment', { floor: '2F' }),
          asset('room-b1', 'equipment', { floor: 'B1' }),
          asset('roof-array', 'equipment', {}, ['gen']),
          asset('station', 'equipment'),
        ],
        {
          mainMeter: { asset: 'incomer-a', power: 'P', energy: 'E' },
          outdoorTemperature: { asset: 'station', point: 'oat' },
          outdoorHumidity: null,
          chillers: ['ch-10', 'ch-2', 'gone'],
          chillerPoints: [chillerAt('ch-10'), chillerAt('ch-2'), chillerAt('gone')],
          zones: ['room-11e', 'room-2w', 'room-2e', 'room-b1'].map(zoneAt),
          pv: { asset: 'roof-array', power: 'gen' },
        },
      ),
    );
    expect(model.mainMeter?.key).toBe('incomer-a');
    expect(model.mainPower).toEqual({ asset: 'incomer-a', point: 'P' });
    // in natural order, each with its points' keys; one the site does not have is left out
    expect(model.chillers.map((chiller) => [chiller.key, chiller.roles.leavingTemp])).toEqual([
      ['ch-2', 'chwl'],
      ['ch-10', 'chwl'],
    ]);
    expect(model.floors.map((floor) => [floor.floor, floor.zones.map((zone) => zone.key)])).toEqual([
      ['B1', ['room-b1']],
      ['2F', ['room-2e', 'room-2w']],
      ['11F', ['room-11e']],
    ]);
    expect(model.floors[0].zones[0].roles).toEqual({
      asset: 'room-b1',
      temperature: 't',
      humidity: null,
      co2: 'ppm',
      setpoint: null,
      occupied: null,
    });
    expect(model.pvPower).toEqual({ asset: 'roof-array', point: 'gen' });
    expect(model.outdoorTemperature).toEqual({ asset: 'station', point: 'oat' });
  });

  it('copes with a site that has none of it', () => {
    const empty = siteModel(site([], noRoles, { contractCapacityKw: 'lots' }));
    expect(empty).toMatchObject({ mainMeter: null, mainPower: null, chillers: [], floors: [], pvPower: null, outdoorTemperature: null });
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

  it("gives the addresses of the roles a chiller or zone has (none for a role it lacks), and a point's registry entry", () => {
    const pv = asset('pv', 'equipment', {}, ['kW']);
    expect(addressesOf(pv, ['kW', null, 'kWh'])).toEqual([
      { asset: 'pv', point: 'kW' },
      { asset: 'pv', point: 'kWh' },
    ]);
    expect(pointInfo(pv, 'kW')?.key).toBe('kW');
    expect(pointInfo(pv, 'kWh')).toBeUndefined();
    expect(pointInfo(pv, null)).toBeUndefined();
  });
});
