import type { AssetInfo } from '../api/api-types';
import { zoneState } from './zone-state';

const zone: AssetInfo = { key: 'z', name: 'Z', type: 'zone', tags: [], attributes: { floor: '2F' }, points: [] };
const store = (values: Record<string, number>) => ({ value: (_asset: string, point: string) => values[point] ?? null });

describe('zoneState', () => {
  it.each([
    [{}, 'none', false, null],
    [{ temp: 25.9, co2: 1000 }, 'cold', false, null],
    [{ temp: 26, co2: 1001 }, 'ok', true, null],
    [{ temp: 28 }, 'ok', false, null],
    [{ temp: 28.1, occupancy: 0 }, 'warm', false, false],
    [{ temp: 27, occupied: 1 }, 'ok', false, true],
  ])('%j -> %s, CO2 high %s, occupied %s', (values, temperature, co2High, occupied) => {
    expect(zoneState(store(values), zone)).toMatchObject({ temperature, co2High, occupied });
  });
});
