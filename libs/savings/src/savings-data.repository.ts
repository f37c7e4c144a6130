import { Injectable } from '@nestjs/common';
import { conversion, quarterDemandKw } from '@hallwatch/calc';
import { ReadDatabase } from '@hallwatch/db';
import { RollupRepository, TemperatureSumOfUnit, Utility } from '@hallwatch/readings';
import { outdoorTemperaturePointSql, utilityPointSql } from '@hallwatch/registry';

/** The unit a report states each utility in; points in other units are converted on read. */
export const REPORT_UNITS: Record<Utility, string> = { electricity: 'kWh', water: 'm3', fuel: 'L' };
export const TEMPERATURE_UNIT = '°C';

/** A point feeding a report, with the unit it is stored in. */
export interface ReportPoint {
  asset: string;
  point: string;
  unit: string;
}

/**
 * value × scale + offset turns a point's unit into the report's. A point without a unit (older
 * registries) is read as the report's unit; one whose unit cannot be converted is refused by the
 * service before anything is read, and fails here should it get this far.
 */
function convert(unit: string, to: string): { scale: number; offset: number } {
  if (unit.trim() === '') return { scale: 1, offset: 0 };
  const found = conversion(unit, to);
  if (!found) throw new Error(`cannot convert ${unit} to ${to}`);
  return found;
}

/** Rollup flag: the day includes a step across a gap (docs/rollups.md). */
const GAP = 1;

export interface DailyUsage {
  date: string;
  usage: number;
  flags: number;
  /** Of `usage`, what was estimated across meter gaps (0 for gauges). */
  estimated: number;
}

export interface HourlyEnergy {
  start: Date;
  kWh: number;
}

/** °C from sums and counts of readings in their points' units: Σ(v·scale + offset) = scale·Σv + offset·n, so every reading weighs alike. */
function temperatureSums(row: TemperatureSumOfUnit): { sum: number; count: number } | null {
  if (row.sum === null || !(row.count > 0)) return null;
  const { scale, offset } = convert(row.unit, TEMPERATURE_UNIT);
  return { sum: row.sum * scale + offset * row.count, count: row.count };
}

/**
 * Everything a savings report reads, and all of it from the rollups (RollupRepository): a year of
 * 15-minute data costs 365 daily rows per meter, never a scan of raw readings. Each point's amounts
 * are converted here from its own unit to the report's.
 */
@Injectable()
export class SavingsDataRepository {
  constructor(
    private readonly db: ReadDatabase,
    private readonly rollups: RollupRepository,
  ) {}

  async dailyUsage(site: string, utility: Utility, from: Date, to: Date): Promise<DailyUsage[]> {
    const rows = await this.rollups.dailyUsageByUnit(site, utility, from, to);
    // Each point's use in its own unit, converted to the report's (Wh to kWh) and summed per day.
    const days = new Map<string, DailyUsage>();
    for (const row of rows) {
      const { scale } = convert(row.unit, REPORT_UNITS[utility]);
      const day = days.get(row.date) ?? days.set(row.date, { date: row.date, usage: 0, flags: 0, estimated: 0 }).get(row.date)!;
      day.usage += row.usage * scale;
      day.estimated += row.estimated * scale;
      day.flags |= row.flags;
    }
    // A day the register only stood still across a gap (flag 1, nothing counted, nothing
    // estimated) was not measured: a hole in back-filled interval data is no 0 kWh day.
    return [...days.values()].filter((day) => !(day.flags & GAP && day.usage === 0 && day.estimated === 0));
  }

  /** The points a report on the utility reads, with their units. */
  async meterPoints(site: string, utility: Utility): Promise<ReportPoint[]> {
    return this.db.query<ReportPoint>(
      `select a.key as asset, p.key as point, p.unit
       from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and ${utilityPointSql(utility)}
       order by 1, 2`,
      [site],
    );
  }

  /** The outdoor temperature points (found by their tags, POINT_ROLES.outdoorTemperature), with their units. */
  async outdoorTemperaturePoints(site: string): Promise<ReportPoint[]> {
    return this.db.query<ReportPoint>(
      `select a.key as asset, p.key as point, p.unit
       from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and ${outdoorTemperaturePointSql()}
       order by 1, 2`,
      [site],
    );
  }

  /** Daily mean outdoor temperature (°C) from the site's outdoor temperature points. */
  async dailyOutdoorTemperature(site: string, from: Date, to: Date): Promise<Map<string, number>> {
    const days = new Map<string, { sum: number; count: number }>();
    for (const row of await this.rollups.outdoorTemperatureSums(site, '1d', from, to)) {
      const sums = temperatureSums(row);
      if (!sums) continue;
      const day = days.get(row.date) ?? days.set(row.date, { sum: 0, count: 0 }).get(row.date)!;
      day.sum += sums.sum;
      day.count += sums.count;
    }
    return new Map([...days.entries()].map(([date, day]) => [date, day.sum / day.count]));
  }

  /**
   * Hourly mean outdoor temperature (°C) per local date: the hours a day's degree-days are computed
   * from (degree-hours / 24) when the weather station reports at least hourly.
   */
  async hourlyOutdoorTemperature(
    site: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ start: Date; date: string; hourOfWeek: number; temperatureC: number }>> {
    const hours = new Map<number, { start: Date; date: string; hourOfWeek: number; sum: number; count: number }>();
    for (const row of await this.rollups.outdoorTemperatureSums(site, '1h', from, to)) {
      const sums = temperatureSums(row);
      if (!sums) continue;
      const start = new Date(row.bucket);
      const hour =
        hours.get(start.getTime()) ??
        hours.set(start.getTime(), { start, date: row.date, hourOfWeek: row.hourOfWeek, sum: 0, count: 0 }).get(start.getTime())!;
      hour.sum += sums.sum;
      hour.count += sums.count;
    }
    return [...hours.values()].map((h) => ({ start: h.start, date: h.date, hourOfWeek: h.hourOfWeek, temperatureC: h.sum / h.count }));
  }

  /** A utility's use per hour, in the report's unit, with the hour of the week on the site's clock (Monday 00:00 = 0). */
  async hourlyUsage(
    site: string,
    utility: Utility,
    from: Date,
    to: Date,
  ): Promise<Array<{ start: Date; hourOfWeek: number; usage: number }>> {
    const hours = new Map<number, { start: Date; hourOfWeek: number; usage: number }>();
    for (const row of await this.rollups.hourlyUsageByUnit(site, utility, from, to)) {
      const start = new Date(row.bucket);
      const hour =
        hours.get(start.getTime()) ?? hours.set(start.getTime(), { start, hourOfWeek: row.hourOfWeek, usage: 0 }).get(start.getTime())!;
      hour.usage += row.usage * convert(row.unit, REPORT_UNITS[utility]).scale;
    }
    return [...hours.values()];
  }

  /** Electricity per hour, for time-of-use tariffs. */
  async hourlyElectricity(site: string, from: Date, to: Date): Promise<HourlyEnergy[]> {
    const hours = new Map<number, HourlyEnergy>();
    for (const row of await this.rollups.hourlyUsageByUnit(site, 'electricity', from, to)) {
      const start = new Date(row.bucket);
      const hour = hours.get(start.getTime()) ?? hours.set(start.getTime(), { start, kWh: 0 }).get(start.getTime())!;
      hour.kWh += row.usage * convert(row.unit, 'kWh').scale;
    }
    return [...hours.values()];
  }

  /** The maximum 15-minute demand (quarterDemandKw of the quarter's kWh) of each month on the site's calendar. */
  async monthlyMaxDemand(site: string, from: Date, to: Date): Promise<Record<string, number>> {
    const rows = await this.rollups.monthlyPeakQuarterKwh(site, from, to);
    return Object.fromEntries(rows.map((row) => [row.month, quarterDemandKw(row.kwh)]));
  }
}
