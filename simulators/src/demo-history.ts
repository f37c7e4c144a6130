import { AssetDefinition, SiteDefinition } from '@hallwatch/registry';
import { AssetValues, BuildingModel } from './building.model';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The demo's history: what the demo city hall's meters would have said before the live simulator
 * started, for the points the overview, savings and trends pages read.
 *
 * The history and the live simulator are one meter. A register's history is generated backwards
 * from where the live simulator's register starts (`endRegisters`, at `to`): each step back takes
 * off what the later reading's rate counted over the interval. So the history's last reading and
 * the live simulator's first differ by the energy between them, never by a jump a rollup would
 * take for a meter reset or a rollover (a back-fill and a live simulator that each started their
 * registers at the seeded value gave a 15-minute demand of 17,161.8 kW on a 6,000 kW contract:
 * the step between them, spread over the time between them).
 */
export interface HistoryOptions {
  seed: number;
  /** first tick (inclusive) and where the live simulator starts (exclusive), epoch ms */
  from: number;
  to: number;
  /** where the live simulator's registers start at `to` (`asset/point`); default `demoRegisterStarts` */
  endRegisters?: Readonly<Record<string, number>>;
  /** the ticks: default `historySchedule(from, to)` */
  ticks?: number[];
}

/** One tick of history: the values of the history's assets at `ts`. */
export interface HistoryTick {
  ts: number;
  values: Map<string, AssetValues>;
}

/**
 * Points the overview, savings and trends pages read: the main incomer's kW and kWh, the main
 * water meter, the weather, PV output and fuel. Few registers on purpose: a register's rollups
 * have a row for every quarter hour its steps cover, gaps included.
 */
const HISTORY_POINTS: Record<string, (asset: AssetDefinition) => readonly string[] | null> = {
  'electricity-meter': (asset) => (asset.attributes.role === 'main' ? ['kW', 'kWh'] : []),
  'water-meter': (asset) => (asset.attributes.role === 'main' ? null : []),
  'weather-station': () => null,
  'pv-inverter': () => ['kW'],
  'fuel-log': () => null,
};
/** Assets the model needs beside those: what the main incomer adds up (sub-meters, and the chillers behind the plant's). */
const MODEL_ONLY = new Set(['electricity-meter', 'chiller']);

/** Whether the history carries `asset`'s `point`. */
export function inHistory(asset: AssetDefinition, point: string): boolean {
  const of = HISTORY_POINTS[asset.type];
  if (!of) return false;
  const points = of(asset);
  return points === null || points.includes(point);
}

const carried = (asset: AssetDefinition) => asset.points.some((point) => inHistory(asset, point.key));

/**
 * Where the live simulator's registers start when the history ends: the seeded values for a
 * register that wraps (its history wraps too), and 10^8 above them for one that does not, so
 * that years of history counted backwards stay positive.
 */
export function demoRegisterStarts(site: SiteDefinition, seed: number): Record<string, number> {
  const starts = new BuildingModel(site, seed).registerValues();
  for (const asset of site.assets)
    for (const point of asset.points)
      if (point.kind === 'cumulative' && !(Number(point.attributes.rolloverAt ?? 0) > 0)) starts[`${asset.key}/${point.key}`] += 1e8;
  return starts;
}

/**
 * The ticks of a history from `from` to `to`: every 15 minutes over the last 35 days (today and
 * yesterday, the weekdays before, this month's demand), hourly over the 13 months before that and
 * over the baseline year (the first calendar year of the history), none in between (no page
 * reads those years; a register's step across them is an estimate, flagged as such).
 * Ascending, all before `to`.
 */
export function historySchedule(from: number, to: number, timezoneOffsetMs = 8 * HOUR_MS): number[] {
  const quarterFrom = quarterHourlyFrom(to);
  const hourlyFrom = quarterFrom - 396 * DAY_MS;
  const baselineYear = new Date(from + timezoneOffsetMs).getUTCFullYear();
  const baselineEnd = Date.UTC(baselineYear + 1, 0, 1) - timezoneOffsetMs;
  const align = (ts: number, step: number) => Math.ceil(ts / step) * step;
  const ticks: number[] = [];
  let ts = align(from, 15 * 60_000);
  while (ts < to) {
    ticks.push(ts);
    const step = ts >= quarterFrom ? 15 * 60_000 : HOUR_MS;
    // Nothing between the baseline year and the recent months: no page reads them.
    const next = ts + step >= baselineEnd && ts + step < hourlyFrom ? hourlyFrom : ts + step;
    // Align to the finer grid where it starts, so the recent ticks sit on quarter hours.
    const boundary = [baselineEnd, hourlyFrom, quarterFrom].find((edge) => ts < edge && next > edge);
    ts = boundary === undefined ? next : align(boundary, 15 * 60_000);
  }
  return ticks;
}

/** Where the history's ticks become quarter-hourly: 35 days before `to`. */
export function quarterHourlyFrom(to: number): number {
  return to - 35 * DAY_MS;
}

/**
 * Whether the demo loads `point` at a tick before the quarter-hourly days: registers (the energy and
 * water the savings and trends pages count) and the outdoor temperature (the savings page's
 * normalisation), not the other gauges (kW, flow, humidity, PV), which a page shows only for the
 * recent days. Half the readings, and each hourly gauge reading is four quarter-hours of rollups.
 */
export function loadedHourly(point: { key: string; kind: string }): boolean {
  return point.kind === 'cumulative' || point.key === 'outdoorT';
}

/**
 * The history's ticks, ascending, with the registers counted backwards from `endRegisters` at `to`.
 * A step longer than an hour counts the mean of six rates sampled across it (a day is not its midnight).
 * Yields to the event loop now and then (`yieldEvery` samples): the live simulator runs beside it.
 */
export async function demoHistory(site: SiteDefinition, options: HistoryOptions & { yieldEvery?: number }): Promise<HistoryTick[]> {
  const ticks = options.ticks ?? historySchedule(options.from, options.to);
  const end = options.endRegisters ?? demoRegisterStarts(site, options.seed);
  // The model of the assets the history needs (each asset's noise is its own: the values are the full model's).
  const model = new BuildingModel(
    { ...site, assets: site.assets.filter((asset) => carried(asset) || MODEL_ONLY.has(asset.type)) },
    options.seed,
  );
  const assets = site.assets.filter(carried);
  const registers = assets.flatMap((asset) =>
    asset.points
      .filter((point) => point.kind === 'cumulative' && inHistory(asset, point.key))
      .map((point) => ({
        asset: asset.key,
        point: point.key,
        rate: point.unit === 'kWh' ? 'kW' : 'flow',
        rolloverAt: Number(point.attributes.rolloverAt ?? 0),
        value: end[`${asset.key}/${point.key}`] ?? 0,
      })),
  );
  const yieldEvery = options.yieldEvery ?? 100;
  let samples = 0;
  const sample = async (ts: number) => {
    if (++samples % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
    return model.sample(ts);
  };
  // Forwards for the model's weather spells and noise; stepRates[i][r]: the rate register r counts over (ticks[i-1], ticks[i]].
  const out: HistoryTick[] = [];
  const stepRates: number[][] = [];
  for (let i = 0; i < ticks.length; i++) {
    const ts = ticks[i];
    const previous = i > 0 ? ticks[i - 1] : ts;
    const sub: Array<Map<string, AssetValues>> = [];
    if (ts - previous > HOUR_MS) for (let k = 1; k < 6; k++) sub.push(await sample(previous + ((ts - previous) * k) / 6));
    const at = await sample(ts);
    sub.push(at);
    stepRates.push(
      registers.map((register) => sub.reduce((sum, values) => sum + (values.get(register.asset)?.[register.rate] ?? 0), 0) / sub.length),
    );
    const values = new Map<string, AssetValues>();
    for (const asset of assets) {
      const all = at.get(asset.key) ?? {};
      values.set(asset.key, Object.fromEntries(Object.entries(all).filter(([key]) => inHistory(asset, key))));
    }
    out.push({ ts, values });
  }
  registers.forEach((register, r) => {
    let value = register.value;
    for (let i = out.length - 1; i >= 0; i--) {
      // (ticks[i], later]: the later tick's step rate; after the last tick, its own rate until `to`.
      const later = i === out.length - 1 ? options.to : out[i + 1].ts;
      const rate = i === out.length - 1 ? stepRates[i][r] : stepRates[i + 1][r];
      value -= (rate * (later - out[i].ts)) / HOUR_MS;
      if (register.rolloverAt > 0) value = ((value % register.rolloverAt) + register.rolloverAt) % register.rolloverAt;
      out[i].values.get(register.asset)![register.point] = Math.round(value * 1000) / 1000;
    }
  });
  return out;
}
