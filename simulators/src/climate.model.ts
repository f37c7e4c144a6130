import { daysBetween, wallClock } from '@hallwatch/domain';

/** Taipei monthly mean temperature (°C, Central Weather Administration climate normals, rounded). */
const MONTHLY_MEAN_C = [16.1, 16.5, 18.5, 21.9, 25.2, 27.7, 29.6, 29.2, 27.4, 24.5, 21.5, 17.9];

/** The building's clock: the site's wall clock in its time zone. */
export interface LocalTime {
  /** YYYY-MM-DD, the site's calendar day */
  date: string;
  /** 0-23.99 on the site's clock */
  hour: number;
  /** 0 Sunday - 6 Saturday */
  weekday: number;
  /** 0-11 */
  month: number;
  dayOfYear: number;
}

/** The wall clock of a site in `zone` at instant `ts`. */
export function localTime(ts: number, zone: string): LocalTime {
  const c = wallClock(ts, zone);
  const date = `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
  return {
    date,
    hour: c.hour + c.minute / 60 + c.second / 3600,
    weekday: c.weekday,
    month: c.month - 1,
    dayOfYear: daysBetween(`${date.slice(0, 4)}-01-01`, date),
  };
}

/**
 * Outdoor temperature: the month's mean (interpolated through the year), a diurnal swing peaking at
 * 14:00, and a day-to-day spell (warm or cool for several days) from the seeded `spell` (-1..1).
 */
export function outdoorTemperature(time: LocalTime, spell: number): number {
  const position = (time.dayOfYear / 365) * 12 - 0.5;
  const lower = Math.floor(position);
  const weight = position - lower;
  const mean = MONTHLY_MEAN_C[(lower + 12) % 12] * (1 - weight) + MONTHLY_MEAN_C[(lower + 13) % 12] * weight;
  const swing = 3.5 * Math.cos(((time.hour - 14) / 24) * 2 * Math.PI);
  return mean + swing + 2.5 * spell;
}

/** Relative humidity: humid nights, drier afternoons, more humid in the plum rains and typhoon months. */
export function outdoorHumidity(time: LocalTime, spell: number): number {
  const seasonal = [76, 80, 78, 77, 78, 79, 73, 74, 75, 74, 75, 74][time.month];
  return Math.min(98, Math.max(45, seasonal - 10 * Math.cos(((time.hour - 4) / 24) * 2 * Math.PI) - 4 * spell));
}

/** Sun for PV (0..1): daylight from about 05:30 to 18:30 in June, 06:30 to 17:15 in December. */
export function sunshine(time: LocalTime): number {
  const daylight = 11 + 2 * Math.cos(((time.dayOfYear - 172) / 365) * 2 * Math.PI);
  const sunrise = 12 - daylight / 2;
  const x = (time.hour - sunrise) / daylight;
  return x <= 0 || x >= 1 ? 0 : Math.sin(Math.PI * x) ** 1.5;
}
