/**
 * A building whose true saving is known, hour by hour, for testing savings methods. Written to be
 * read and checked by eye, independently of libs/calc: a Taipei-like outdoor temperature each hour,
 * and a use each hour made of a base load by the time of the week, a cooling load above a balance
 * point and a heating load below another. The reporting period uses `saving` (0.1 = 10 %) less than
 * the same building would have used in its weather: that counterfactual is the truth.
 */
export interface GeneratorOptions {
  /** Base load by hour, kWh: weekdays 08:00-18:00, other hours of weekdays, weekend hours. */
  base?: { occupied: number; unoccupied: number; weekend: number };
  coolingBalanceC?: number;
  /** kWh per hour per °C above the cooling balance point. */
  coolingSlope?: number;
  heatingBalanceC?: number;
  heatingSlope?: number;
  /** Fraction saved in the reporting period. */
  saving?: number;
  /** Relative size of the hour-to-hour noise on use (uniform in ±noise). */
  noise?: number;
}

export interface GeneratedHour {
  /** Epoch ms of the hour's start. */
  start: number;
  /** Local date (Asia/Taipei) and hour of the week, Monday 00:00 = 0. */
  date: string;
  hourOfWeek: number;
  temperatureC: number;
  /** What the building used. */
  usage: number;
  /** What it would have used without the saving (equal to usage in the baseline). */
  counterfactual: number;
}

const HOUR = 3_600_000;
const TAIPEI = 8 * HOUR;

/** A small deterministic pseudo-random generator (Park-Miller), so every run sees the same data. */
function random(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

/** Outdoor temperature at an instant: seasonal (coolest mid-January), daily (warmest at 14:00), and a day's weather. */
export function temperatureAt(ts: number, dayOffsetC: number): number {
  const local = new Date(ts + TAIPEI);
  const dayOfYear =
    (Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - Date.UTC(local.getUTCFullYear(), 0, 1)) / 86_400_000;
  const seasonal = 23 - 6 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);
  const daily = 4 * Math.cos((2 * Math.PI * (local.getUTCHours() - 14)) / 24);
  return seasonal + daily + dayOffsetC;
}

/**
 * Hours from `from` to `to` (ISO dates, Asia/Taipei midnights); `reportingFrom` (ISO date) on are
 * the reporting period, saving `saving` of the counterfactual.
 */
export function generateHours(from: string, to: string, reportingFrom: string, options: GeneratorOptions = {}, seed = 17): GeneratedHour[] {
  const base = options.base ?? { occupied: 500, unoccupied: 200, weekend: 250 };
  const coolingBalance = options.coolingBalanceC ?? 22;
  const coolingSlope = options.coolingSlope ?? 30;
  // Taipei buildings rarely heat: below 14 °C.
  const heatingBalance = options.heatingBalanceC ?? 14;
  const heatingSlope = options.heatingSlope ?? 20;
  const saving = options.saving ?? 0.1;
  const noise = options.noise ?? 0.05;
  const next = random(seed);
  const hours: GeneratedHour[] = [];
  const start = Date.parse(`${from}T00:00:00+08:00`);
  const end = Date.parse(`${to}T00:00:00+08:00`);
  const reporting = Date.parse(`${reportingFrom}T00:00:00+08:00`);
  let dayOffset = 0;
  for (let ts = start; ts < end; ts += HOUR) {
    const local = new Date(ts + TAIPEI);
    const hour = local.getUTCHours();
    // Each day's weather: a random offset of up to ±3 °C, the same all day.
    if (hour === 0 || ts === start) dayOffset = (next() * 2 - 1) * 3;
    const weekday = (local.getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
    const t = temperatureAt(ts, dayOffset);
    const baseLoad = weekday >= 5 ? base.weekend : hour >= 8 && hour < 18 ? base.occupied : base.unoccupied;
    const load = baseLoad + coolingSlope * Math.max(0, t - coolingBalance) + heatingSlope * Math.max(0, heatingBalance - t);
    const counterfactual = load * (1 + (next() * 2 - 1) * noise);
    hours.push({
      start: ts,
      date: local.toISOString().slice(0, 10),
      hourOfWeek: weekday * 24 + hour,
      temperatureC: t,
      counterfactual,
      usage: ts >= reporting ? counterfactual * (1 - saving) : counterfactual,
    });
  }
  return hours;
}

/** The same use per day (Asia/Taipei dates). */
export function dailyTotals(
  hours: GeneratedHour[],
): Array<{ date: string; usage: number; meanTemperatureC: number; hourlyTemperaturesC: number[] }> {
  const days = new Map<string, { date: string; usage: number; meanTemperatureC: number; hourlyTemperaturesC: number[] }>();
  for (const h of hours) {
    const day = days.get(h.date) ?? days.set(h.date, { date: h.date, usage: 0, meanTemperatureC: 0, hourlyTemperaturesC: [] }).get(h.date)!;
    day.usage += h.usage;
    day.hourlyTemperaturesC.push(h.temperatureC);
  }
  for (const day of days.values())
    day.meanTemperatureC = day.hourlyTemperaturesC.reduce((a, b) => a + b, 0) / day.hourlyTemperaturesC.length;
  return [...days.values()];
}

/** The same use in 15-minute intervals: each hour's use spread evenly over its four quarters. */
export function quarterHours(hours: GeneratedHour[]): Array<{ start: number; usage: number }> {
  return hours.flatMap((h) => [0, 1, 2, 3].map((q) => ({ start: h.start + q * 900_000, usage: h.usage / 4 })));
}

/**
 * The truth: use avoided in the reporting period, counterfactual less actual, hour by hour; that is
 * `saving` of what the building would have used in those very hours, their random noise included.
 * No model can know that noise, so part of any method's error is the reporting hours' noise (in
 * savings-accuracy.test.ts their counterfactual is 0.04 % above its noise-free value, which takes
 * 0.39 % of the truth off every method's error), and the rest is the model's.
 */
export function trueAvoided(hours: GeneratedHour[], reportingFrom: string): number {
  const reporting = Date.parse(`${reportingFrom}T00:00:00+08:00`);
  return hours.filter((h) => h.start >= reporting).reduce((sum, h) => sum + h.counterfactual - h.usage, 0);
}
