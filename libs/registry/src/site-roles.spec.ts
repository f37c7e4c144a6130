import { AssetRole, assetPlays, assetRoleSql, chillerPoints, pointPlays, POINT_ROLES, pointRoleSql, PointRole, siteRoles, zonePoints } from './site-roles';

const asset = (tags: string[], type = 'equipment', attributes: Record<string, string> = {}) => ({ type, tags, attributes });
const point = (tags: string[], unit = '', kind: 'gauge' | 'status' | 'setpoint' | 'multistate' | 'cumulative' = 'gauge') => ({ tags, unit, kind });

/** A chiller with none of the points the plant page reads. */
const noPoints = (key: string) => ({
  asset: key,
  running: null,
  runState: null,
  alarm: null,
  power: null,
  leavingTemp: null,
  enteringTemp: null,
  capacity: null,
});

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

  it.each<[AssetRole, ReturnType<typeof asset>, boolean]>([
    ['chiller', asset(['chiller', 'hvac', 'equip']), true],
    ['chiller', asset([], 'chiller'), true],
    ['chiller', asset(['ahu', 'hvac', 'equip']), false],
    ['zone', asset(['zone', 'hvac', 'equip']), true],
    ['zone', asset(['space']), true],
    ['zone', asset([], 'zone'), true],
    ['zone', asset(['ahu', 'hvac', 'equip'], 'ahu'), false],
    ['pv', asset(['pv', 'elec', 'equip']), true],
    ['pv', asset([], 'pv-inverter'), true],
    ['pv', asset(['elec', 'meter', 'submeter']), false],
  ])('%s: %j -> %s', (role, candidate, plays) => expect(assetPlays(candidate, role)).toBe(plays));

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
    ['chilledWaterLeavingTemp', point(['chilled', 'water', 'supply', 'leaving', 'temp'], '°C'), true],
    ['chilledWaterLeavingTemp', point(['chilled', 'water', 'return', 'entering', 'temp'], '°C'), false],
    ['chilledWaterLeavingTemp', point(['condenser', 'water', 'leaving', 'temp'], '°C'), false],
    // the plant's words for the same
    ['chilledWaterLeavingTemp', point(['chilled', 'water', 'supply', 'temp'], '°C'), true],
    ['chilledWaterEnteringTemp', point(['chilled', 'water', 'return', 'temp'], '°C'), true],
    ['chilledWaterLeavingTemp', point(['chilled', 'water', 'delta', 'temp'], '°C'), false],
    ['chilledWaterLeavingTemp', point(['chilled', 'water', 'leaving', 'temp', 'sp'], '°C', 'setpoint'), false],
    ['chilledWaterEnteringTemp', point(['chilled', 'water', 'return', 'entering', 'temp'], '°C'), true],
    ['chilledWaterEnteringTemp', point(['condenser', 'water', 'entering', 'temp'], '°C'), false],
    ['coolingCapacity', point(['cooling', 'capacity'], 'RT'), true],
    ['coolingCapacity', point(['cooling'], 'RT'), false],
    ['running', point(['run'], '', 'status'), true],
    // a multistate run point says more than on/off: it is the run state, not the running status
    ['running', point(['run'], '', 'multistate'), false],
    ['runState', point(['run'], '', 'multistate'), true],
    ['runState', point(['run'], '', 'status'), false],
    ['alarm', point(['alarm'], '', 'status'), true],
    ['zoneHumidity', point(['air', 'humidity'], '%RH'), true],
    ['zoneHumidity', point(['outside', 'air', 'humidity'], '%RH'), false],
    ['occupied', point(['occupied'], '', 'status'), true],
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
      chillerPoints: [noPoints('ch-b'), noPoints('ch-a')],
      zones: [],
      pv: null,
    });
  });

  it("finds a chiller's points by their tags, whatever their keys", () => {
    const chiller = {
      key: 'ch-north',
      ...asset(['chiller', 'equip']),
      points: [
        { key: 'state', ...point(['run'], '', 'multistate') },
        { key: 'on', ...point(['run'], '', 'status') },
        { key: 'trip', ...point(['alarm'], '', 'status') },
        { key: 'E', ...point(['elec', 'energy'], 'kWh', 'cumulative') },
        { key: 'P', ...point(['elec', 'power'], 'kW') },
        { key: 'cwl', ...point(['condenser', 'water', 'leaving', 'temp'], '°C') },
        { key: 'chwl', ...point(['chilled', 'water', 'leaving', 'temp'], '°C') },
        { key: 'chwe', ...point(['chilled', 'water', 'entering', 'temp'], '°C') },
        { key: 'dT', ...point(['chilled', 'water', 'delta', 'temp'], '°C') },
        { key: 'rt', ...point(['cooling', 'capacity'], 'RT') },
      ],
    };
    expect(chillerPoints(chiller)).toEqual({
      asset: 'ch-north',
      running: 'on',
      runState: 'state',
      alarm: 'trip',
      power: 'P',
      leavingTemp: 'chwl',
      enteringTemp: 'chwe',
      capacity: 'rt',
    });
    expect(chillerPoints({ key: 'bare', ...asset(['chiller']), points: [] })).toEqual(noPoints('bare'));
  });

  it("finds a zone's points, and the site's zones and PV, by their tags", () => {
    const zone = {
      key: 'room-201',
      ...asset(['space']),
      points: [
        { key: 'sp', ...point(['air', 'temp', 'sp'], '°C', 'setpoint') },
        { key: 't', ...point(['air', 'temp'], '°C') },
        { key: 'rh', ...point(['air', 'humidity'], '%RH') },
        { key: 'ppm', ...point(['air', 'co2'], 'ppm') },
        { key: 'occ', ...point(['occupied'], '', 'status') },
      ],
    };
    expect(zonePoints(zone)).toEqual({ asset: 'room-201', temperature: 't', humidity: 'rh', co2: 'ppm', setpoint: 'sp', occupied: 'occ' });
    const roles = siteRoles({
      assets: [
        { key: 'ahu', ...asset(['ahu', 'equip']), points: [{ key: 'sat', ...point(['air', 'supply', 'temp'], '°C') }] },
        zone,
        { key: 'roof-array', ...asset(['pv', 'elec']), points: [{ key: 'E', ...point(['pv', 'energy'], 'kWh', 'cumulative') }, { key: 'gen', ...point(['pv', 'power'], 'kW') }] },
      ],
    });
    expect(roles.zones).toEqual([{ asset: 'room-201', temperature: 't', humidity: 'rh', co2: 'ppm', setpoint: 'sp', occupied: 'occ' }]);
    expect(roles.pv).toEqual({ asset: 'roof-array', power: 'gen' });
  });
});
