/**
 * How a point's values behave; decides how rollups and consumption treat them: `cumulative` is a
 * register (consumption from its steps), `interval` an amount used over the interval ending at each
 * reading (utility interval data), the others are held values.
 */
export const POINT_KINDS = ['cumulative', 'interval', 'gauge', 'status', 'setpoint'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

/** The kinds whose rollups carry consumption (energy, water): registers and interval amounts. */
export const CONSUMPTION_KINDS = ['cumulative', 'interval'] as const satisfies readonly PointKind[];
/** CONSUMPTION_KINDS for SQL: `p.kind in ${CONSUMPTION_KINDS_SQL}`. */
export const CONSUMPTION_KINDS_SQL = `('cumulative', 'interval')`;

/** Keys of sites and assets as they appear in MQTT topics and URLs. */
export const KEY_PATTERN = /^[a-z0-9-]+$/;
/** Point keys keep their engineering case (kW, kWh, chwsT). */
export const POINT_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;

export interface PointRef {
  site: string;
  asset: string;
  point: string;
}

export function pointPath(ref: PointRef): string {
  return `${ref.site}/${ref.asset}/${ref.point}`;
}
