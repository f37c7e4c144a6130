import { assetPlays, assetRoleSql, pointPlays, POINT_ROLES, pointRoleSql, PointRole, siteRoles } from './site-roles';

const asset = (tags: string[], type = 'equipment', attributes: Record<string, string> = {}) => ({ type, tags, attributes });
const point = (tags: string[], unit = '', kind: 'gauge' | 'status' | 'setpoint' = 'gauge') => ({ tags, unit, kind });

describe('site roles by Haystack tags', () => {
  it.each([
    [asset(['elec', 'meter', 'siteMeter', 'equip']), true],
    [asset(['elec', 'meter', 'main']), true],
    [asset(['elec', 'meter', 'submeter']), false],
    [asset(['water', 'meter', 'siteMeter']), false],
    // an older registry's type and role stand for the tags
    [asset([], 'electricity-meter', { role: 'main' }), true],
    [asset([], 'electricity-meter', { role: 'submeter' }), false],
  ])('electricity main meter: %j -> %s', (candidate, plays) => expect(assetPlays(candidate, 'electricityMainMeter')).toBe(plays));

  it.each<[PointRole, ReturnType<typeof point>, boolean]>([
    ['outdoorTemperature', point(['outside', 'air', 'temp', 'sensor'], '°C'), true],
    ['outdoorTemperature', point(['outside', 'air', 'temp', 'sp'], '°C', 'setpoint'), false],
    ['outdoorTemperature', point(['air', 'temp'], '°C'), false],
    ['power', point(['elec', 'power'], 'kW'), true],
    ['power', point(['elec', 'power', 'net'], 'kW'), false],
    // the unit says it is power
    ['power', point([], 'kW'), true],
    ['power', point([], 'kWh'), false],
    ['chillerKwPerRt', point(['efficiency'], 'kW/RT'), true],
    ['chillerKwPerRt', point(['efficiency'], ''), false],
    ['zoneTemperature', point(['air', 'temp']), true],
    ['zoneTemperature', point(['air', 'temp', 'sp'], '°C', 'setpoint'), false],
    ['temperatureSetpoint', point(['air', 'temp', 'sp'], '°C', 'setpoint'), true],
  ])('%s: %j -> %s', (role, candidate, plays) => expect(pointPlays(candidate, role)).toBe(plays));

  it('writes every role as a SQL condition over assets a and points p', () => {
    const mainMeter = assetRoleSql('electricityMainMeter');
    expect(mainMeter).toContain(`@> array['siteMeter']::text[] or `);
    expect(mainMeter).toContain(`when 'electricity-meter' then array['elec', 'meter']::text[]`);
    for (const role of Object.keys(POINT_ROLES) as PointRole[]) expect(pointRoleSql(role)).toMatch(/p\.(tags|unit)/);
    expect(pointRoleSql('chillerKwPerRt')).toMatch(/ @> array\['efficiency'\]::text\[\] and p\.unit = 'kW\/RT'\)$/);
    expect(pointRoleSql('power')).toContain(`when 'kW' then array['power']::text[]`);
  });

  it("finds a site's main meter with its power and register, its outdoor points and its chillers", () => {
    const roles = siteRoles({
      assets: [
        { key: 'sub', ...asset(['elec', 'meter', 'submeter']), points: [{ key: 'kW', ...point(['elec', 'power'], 'kW') }] },
        {
          key: 'incomer',
          ...asset(['elec', 'meter', 'siteMeter']),
          points: [
            { key: 'net', ...point(['elec', 'power', 'net'], 'kW') },
            { key: 'P', ...point(['elec', 'power'], 'kW') },
            { key: 'E', tags: ['elec', 'energy'], unit: 'kWh', kind: 'cumulative' as const },
          ],
        },
        { key: 'ch-b', ...asset(['chiller', 'equip']), points: [] },
        { key: 'station', ...asset(['weather']), points: [{ key: 'oat', ...point(['outside', 'air', 'temp'], '°C') }] },
        { key: 'ch-a', ...asset([], 'chiller'), points: [] },
      ],
    });
    expect(roles).toEqual({
      mainMeter: { asset: 'incomer', power: 'P', energy: 'E' },
      outdoorTemperature: { asset: 'station', point: 'oat' },
      outdoorHumidity: null,
      chillers: ['ch-b', 'ch-a'],
    });
  });
});
