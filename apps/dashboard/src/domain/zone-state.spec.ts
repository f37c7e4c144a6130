import { zoneState } from './zone-state';

/** A zone whose points have keys of their own: they are read by role, not by name. */
const zone = { key: 'room-201', roles: { temperature: 'T1', co2: 'ppm', occupied: 'occ' } };
const store = (values: Record<string, number>) => ({
  value: (asset: string, point: string) => (asset === 'room-201' ? (values[point] ?? null) : null),
});

describe('zoneState', () => {
  it.each([
    [{}, 'none', false, null],
    [{ T1: 25.9, ppm: 1000 }, 'cold', false, null],
    [{ T1: 26, ppm: 1001 }, 'ok', true, null],
    [{ T1: 28 }, 'ok', false, null],
    [{ T1: 28.1, occ: 0 }, 'warm', false, false],
    [{ T1: 27, occ: 1 }, 'ok', false, true],
    // points under other keys are not the zone's temperature
    [{ temp: 30, co2: 2000 }, 'none', false, null],
  ])('%j -> %s, CO2 high %s, occupied %s', (values, temperature, co2High, occupied) => {
    expect(zoneState(store(values), zone)).toMatchObject({ temperature, co2High, occupied });
  });
  it('reads nothing for a role the zone lacks', () => {
    expect(zoneState(store({ T1: 27 }), { key: 'room-201', roles: { temperature: null, co2: null, occupied: null } })).toEqual({
      temp: null,
      co2: null,
      temperature: 'none',
      co2High: false,
      occupied: null,
    });
  });
});
