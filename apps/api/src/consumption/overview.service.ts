import { Injectable } from '@nestjs/common';
import {
  buildEnergyOverview,
  comparisonCut,
  dayComparisonWindows,
  QUARTER_HOUR_MS,
  QuarterEnergy,
  siteBaselineYear,
} from '@hallwatch/calc';
import { startOfLocalDay, startOfQuarterHour } from '@hallwatch/domain';
import { ConsumptionRepository } from '@hallwatch/readings';
import { SitesService } from '../sites/sites.service';
import { resolveTime, TimeParameter } from '../time-query';
import { CoverageRepository } from './coverage.repository';
import type { Coverage } from './coverage.schema';
import { DemoHistoryRepository } from './demo-history.repository';
import { isoTime, isoTimeOrNull } from '../iso-time';

/** A power reading older than this is not the present load. */
const POWER_HOLD_MS = 15 * 60_000;

/**
 * A site's day at a glance, from the main meter's 15-minute rollups in the site's time zone:
 * today's energy against yesterday and the baseline weekday up to the same time of day, and the
 * running quarter hour's demand with its forecast. The dashboard shows these numbers as served.
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly consumption: ConsumptionRepository,
    private readonly sites: SitesService,
    private readonly demoHistory: DemoHistoryRepository,
    private readonly coverage: CoverageRepository,
  ) {}

  async overview(siteKey: string, atParameter?: TimeParameter) {
    const site = await this.sites.requireSite(siteKey);
    const zone = site.timezone;
    const at = atParameter ? resolveTime(atParameter, zone) : Date.now();
    const dayStart = startOfLocalDay(at, zone);
    const runningEnd = startOfQuarterHour(at) + QUARTER_HOUR_MS;
    const [today, newest, latestKw] = await Promise.all([
      this.quarters(siteKey, dayStart, runningEnd),
      this.consumption.newestReading(siteKey, 'electricity', new Date(dayStart)),
      this.consumption.mainPower(siteKey, new Date(at - POWER_HOLD_MS), new Date(at)),
    ]);
    const baselineYear = siteBaselineYear(site.attributes);
    const windows = dayComparisonWindows(comparisonCut(at, newest, dayStart), zone, baselineYear);
    const [yesterday, baseline, todayCoverage, yesterdayCoverage, baselineCoverage] = await Promise.all([
      this.quarters(siteKey, windows.yesterday.from, startOfQuarterHour(windows.yesterday.to) + QUARTER_HOUR_MS),
      this.quarters(siteKey, windows.baseline.from, startOfQuarterHour(windows.baseline.to) + QUARTER_HOUR_MS),
      // Today up to now, not up to the newest reading: hours with no data yet today are missing.
      this.coverage.coverage(siteKey, 'electricity', dayStart, at, at),
      this.coverage.coverage(siteKey, 'electricity', windows.yesterday.from, windows.yesterday.to, at),
      this.coverage.coverage(siteKey, 'electricity', windows.baseline.from, windows.baseline.to, at),
    ]);
    const contract = Number(site.attributes.contractCapacityKw);
    const overview = buildEnergyOverview({
      zone,
      at,
      baselineYear,
      contractKw: Number.isFinite(contract) && contract > 0 ? contract : null,
      today,
      through: newest,
      windows,
      yesterday,
      baseline,
      latestKw,
    });
    const { today: todayEnergy, yesterday: yesterdayEnergy, baseline: baselineEnergy } = overview.energy;
    const { quarter, previousQuarter, peakToday, latestKw: power } = overview.demand;
    return {
      site: siteKey,
      // The demo's history being loaded on its first start: how far, for the dashboard's banner.
      demoHistory: await this.demoHistory.progress(siteKey),
      ...overview,
      at: isoTime(overview.at),
      dataThrough: isoTimeOrNull(overview.dataThrough),
      energy: {
        ...overview.energy,
        today: { ...isoWindow(todayEnergy), kWh: knownOrNull(todayEnergy.kWh, todayCoverage), coverage: todayCoverage },
        yesterday: compared(isoWindow(yesterdayEnergy), yesterdayCoverage, todayCoverage),
        baseline: compared(isoWindow(baselineEnergy), baselineCoverage, todayCoverage),
      },
      demand: {
        ...overview.demand,
        quarter: { ...quarter, from: isoTime(quarter.from), to: isoTime(quarter.to), through: isoTime(quarter.through) },
        previousQuarter: previousQuarter && { ...previousQuarter, from: isoTime(previousQuarter.from) },
        peakToday: peakToday && { ...peakToday, from: isoTime(peakToday.from) },
        latestKw: power && { ...power, ts: isoTime(power.ts) },
      },
    };
  }

  private async quarters(siteKey: string, from: number, to: number): Promise<QuarterEnergy[]> {
    const rows = await this.consumption.series(siteKey, 'electricity', '15m', new Date(from), new Date(to));
    return rows.map((row) => ({ ts: row.ts, kWh: row.value, flags: row.flags, estimatedKwh: row.estimated }));
  }
}

/** A day's window with its instants as the API answers them. */
function isoWindow<T extends { from: number; to: number }>(day: T): Omit<T, 'from' | 'to'> & { from: string; to: string } {
  return { ...day, from: isoTime(day.from), to: isoTime(day.to) };
}

/** A period with whole quarter hours and no data in any of them has no total: null, never 0. */
function knownOrNull(kWh: number, coverage: Coverage): number | null {
  return coverage.quarters > 0 && coverage.quartersWithData === 0 ? null : kWh;
}

/** A day compared with today: its coverage, no total when it has no data, and the change marked partial when either side lacks data. */
function compared<T extends { kWh: number; change: number | null }>(day: T, coverage: Coverage, today: Coverage) {
  const kWh = knownOrNull(day.kWh, coverage);
  return { ...day, kWh, change: kWh === null ? null : day.change, coverage, partial: coverage.partial || today.partial };
}
