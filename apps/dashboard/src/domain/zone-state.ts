import type { ZonePoints } from '../api/api-types';
import { co2Level, temperatureLevel } from './zone-policy';

/** What a zone's newest values say: temperature against the policy, CO2 against its limit, occupancy. */
export interface ZoneState {
  temp: number | null;
  co2: number | null;
  temperature: 'cold' | 'ok' | 'warm' | 'none';
  co2High: boolean;
  /** From its `occupied` point (non-zero is occupied); null when the zone has none. */
  occupied: boolean | null;
}

export interface LatestValues {
  value: (asset: string, point: string) => number | null;
}

/** `zone.roles`: the keys of its points by what they measure. */
export function zoneState(
  store: LatestValues,
  zone: { key: string; roles: Pick<ZonePoints, 'temperature' | 'co2' | 'occupied'> },
): ZoneState {
  const value = (point: string | null) => (point === null ? null : store.value(zone.key, point));
  const temp = value(zone.roles.temperature);
  const co2 = value(zone.roles.co2);
  const occupancy = value(zone.roles.occupied);
  return {
    temp,
    co2,
    temperature: temp === null ? 'none' : temperatureLevel(temp),
    co2High: co2 !== null && co2Level(co2) === 'high',
    occupied: occupancy === null ? null : occupancy > 0,
  };
}
