/**
 * How a point's values behave; decides how rollups and consumption treat them: `cumulative` is a
 * register (consumption from its steps), `interval` an amount used over the interval ending at each
 * reading (utility interval data), the others are held values. A `multistate` point holds one of
 * the states its registry entry lists (0 off, 1 on, 2 fault), each with its labels; it rolls up
 * like `status` (the last value of a bucket is the state it ended in).
 */
export const POINT_KINDS = ['cumulative', 'interval', 'gauge', 'status', 'setpoint', 'multistate'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

/** The kinds whose rollups carry consumption (energy, water): registers and interval amounts. */
export const CONSUMPTION_KINDS = ['cumulative', 'interval'] as const satisfies readonly PointKind[];
/** CONSUMPTION_KINDS for SQL: `p.kind in ${CONSUMPTION_KINDS_SQL}`. */
export const CONSUMPTION_KINDS_SQL = `('cumulative', 'interval')`;

/** One state of a multi-state point: its value and its labels (English, and Traditional Chinese when given). */
export interface PointState {
  value: number;
  en: string;
  'zh-TW'?: string;
}

/** The state a multi-state point's value is in, or undefined when the value is none of its states. */
export function stateOf(states: readonly PointState[], value: number): PointState | undefined {
  return states.find((state) => state.value === value);
}

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
