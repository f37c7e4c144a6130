import type { AssetInfo } from '../api/api-types';
import { co2Level, temperatureLevel } from './zone-policy';

/** What a zone's newest values say: temperature against the policy, CO2 against its limit, occupancy. */
export interface ZoneState {
  temp: number | null;
  co2: number | null;
  temperature: 'cold' | 'ok' | 'warm' | 'none';
  co2High: boolean;
  /** From an `occupancy` or `occupied` point (non-zero is occupied); null when the zone has none. */
  occupied: boolean | null;
}

export interface LatestValues {
  value: (asset: string, point: string) => number | null;
}

export function zoneState(store: LatestValues, zone: AssetInfo): ZoneState {
  const temp = store.value(zone.key, 'temp');
  const co2 = store.value(zone.key, 'co2');
  const occupancy = store.value(zone.key, 'occupancy') ?? store.value(zone.key, 'occupied');
  return {
    temp,
    co2,
    temperature: temp === null ? 'none' : temperatureLevel(temp),
    co2High: co2 !== null && co2Level(co2) === 'high',
    occupied: occupancy === null ? null : occupancy > 0,
  };
}
