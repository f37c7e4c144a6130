/** How a point's values behave; decides how rollups and consumption treat them. */
export const POINT_KINDS = ['cumulative', 'gauge', 'status', 'setpoint'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

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
