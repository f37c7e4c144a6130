import { wallClock } from '@hallwatch/domain';

export type TouPeriod = 'peak' | 'semi-peak' | 'off-peak' | 'saturday-semi-peak';
type Season = 'summer' | 'nonSummer';

export interface TouWindow {
  /** 'HH:MM' on the site's wall clock; `to` may be '24:00'. */
  from: string;
  to: string;
  period: TouPeriod;
}

export interface TariffVersion {
  id: string;
  effectiveFrom: string;
  /** 'MM-DD', both inclusive. */
  summer: { from: string; to: string };
  basicFeePerKwMonth: { summer: number; nonSummer: number };
  energyPerKwh: Record<TouPeriod, { summer: number; nonSummer: number }>;
  /** Time not covered by a window is off-peak; Sundays are off-peak all day. */
  windows: Record<Season, { weekday: TouWindow[]; saturday: TouWindow[] }>;
  source: string;
}

/**
 * Taipower high-voltage three-stage time-of-use tariffs, newest last. Editable defaults: the
 * 2025-10-01 numbers are from DOMAIN.md; the 2015 table is illustrative of the older shape (a June
 * to September summer and daytime peaks), to be replaced by the table on the bill being checked.
 */
export const TAIPOWER_HV_THREE_STAGE: TariffVersion[] = [
  {
    id: 'taipower-hv-3stage-2015',
    effectiveFrom: '2015-01-01',
    summer: { from: '06-01', to: '09-30' },
    basicFeePerKwMonth: { summer: 223.6, nonSummer: 166.9 },
    energyPerKwh: {
      peak: { summer: 4.44, nonSummer: 4.44 },
      'semi-peak': { summer: 2.88, nonSummer: 2.73 },
      'off-peak': { summer: 1.26, nonSummer: 1.18 },
      'saturday-semi-peak': { summer: 1.92, nonSummer: 1.8 },
    },
    windows: {
      summer: {
        weekday: [
          { from: '07:30', to: '10:00', period: 'semi-peak' },
          { from: '10:00', to: '12:00', period: 'peak' },
          { from: '12:00', to: '13:00', period: 'semi-peak' },
          { from: '13:00', to: '17:00', period: 'peak' },
          { from: '17:00', to: '22:30', period: 'semi-peak' },
        ],
        saturday: [{ from: '07:30', to: '22:30', period: 'saturday-semi-peak' }],
      },
      nonSummer: {
        weekday: [{ from: '07:30', to: '22:30', period: 'semi-peak' }],
        saturday: [{ from: '07:30', to: '22:30', period: 'saturday-semi-peak' }],
      },
    },
    source: 'illustrative: the shape of the 2015 Taipower high-voltage three-stage TOU table',
  },
  {
    id: 'taipower-hv-3stage-2025-10',
    effectiveFrom: '2025-10-01',
    summer: { from: '05-16', to: '10-15' },
    basicFeePerKwMonth: { summer: 223.6, nonSummer: 166.9 },
    energyPerKwh: {
      peak: { summer: 9.39, nonSummer: 5.47 },
      'semi-peak': { summer: 5.85, nonSummer: 5.47 },
      'off-peak': { summer: 2.53, nonSummer: 2.32 },
      'saturday-semi-peak': { summer: 2.6, nonSummer: 2.41 },
    },
    windows: {
      summer: {
        weekday: [
          { from: '09:00', to: '16:00', period: 'semi-peak' },
          { from: '16:00', to: '22:00', period: 'peak' },
          { from: '22:00', to: '24:00', period: 'semi-peak' },
        ],
        saturday: [{ from: '09:00', to: '24:00', period: 'saturday-semi-peak' }],
      },
      nonSummer: {
        weekday: [
          { from: '06:00', to: '11:00', period: 'semi-peak' },
          { from: '14:00', to: '24:00', period: 'semi-peak' },
        ],
        saturday: [
          { from: '06:00', to: '11:00', period: 'saturday-semi-peak' },
          { from: '14:00', to: '24:00', period: 'saturday-semi-peak' },
        ],
      },
    },
    source: 'Taipower high-voltage three-stage TOU, rates effective 2025-10-01 (DOMAIN.md)',
  },
];

const pad = (n: number) => String(n).padStart(2, '0');

/** The site's wall-clock fields of an instant, in its time zone: the tariff's days, seasons and hours are local. */
function local(at: Date, zone: string) {
  const c = wallClock(at.getTime(), zone);
  const month = `${String(c.year).padStart(4, '0')}-${pad(c.month)}`;
  return {
    iso: `${month}-${pad(c.day)}`,
    monthDay: `${pad(c.month)}-${pad(c.day)}`,
    month,
    weekday: c.weekday,
    minutes: c.hour * 60 + c.minute,
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The tariff in force on a local date `YYYY-MM-DD`. */
export function tariffOn(isoDate: string, versions: TariffVersion[] = TAIPOWER_HV_THREE_STAGE): TariffVersion {
  const applicable = versions
    .filter((version) => version.effectiveFrom <= isoDate)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return applicable.at(-1) ?? [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
}

/** The tariff in force at an instant, on the site's calendar (`zone`). */
export function tariffFor(at: Date, zone: string, versions: TariffVersion[] = TAIPOWER_HV_THREE_STAGE): TariffVersion {
  return tariffOn(local(at, zone).iso, versions);
}

const inSummer = (monthDay: string, version: TariffVersion) => monthDay >= version.summer.from && monthDay <= version.summer.to;

export function isSummer(at: Date, version: TariffVersion, zone: string): boolean {
  return inSummer(local(at, zone).monthDay, version);
}

/**
 * The time-of-use period of an instant, on the site's wall clock (`zone`). National holidays are
 * billed as Sundays by Taipower; they are not modelled here.
 */
export function touPeriod(at: Date, version: TariffVersion, zone: string): TouPeriod {
  const { weekday, minutes, monthDay } = local(at, zone);
  if (weekday === 0) return 'off-peak';
  const windows = version.windows[inSummer(monthDay, version) ? 'summer' : 'nonSummer'][weekday === 6 ? 'saturday' : 'weekday'];
  return windows.find((w) => minutes >= minutesOf(w.from) && minutes < minutesOf(w.to))?.period ?? 'off-peak';
}

export interface EnergyInterval {
  /** The interval is stamped at its start. */
  start: Date;
  kWh: number;
}

export interface MonthlyBill {
  month: string;
  energyKwh: number;
  byPeriod: Record<TouPeriod, { kWh: number; charge: number }>;
  energyCharge: number;
  contractKw: number;
  maxDemandKw: number;
  basicCharge: number;
  overContractCharge: number;
  powerFactorAdjustment: number;
  total: number;
  tariffId: string;
}

const emptyPeriods = (): Record<TouPeriod, { kWh: number; charge: number }> => ({
  peak: { kWh: 0, charge: 0 },
  'semi-peak': { kWh: 0, charge: 0 },
  'off-peak': { kWh: 0, charge: 0 },
  'saturday-semi-peak': { kWh: 0, charge: 0 },
});

/**
 * Monthly bills of a high-voltage customer from hourly (or 15-minute) energy and each month's
 * maximum 15-minute demand, months, days and hours on the site's calendar (`zone`). The basic fee is prorated by the month's summer and non-summer days;
 * demand above the contract pays 2× the fee up to 10% of the contract and 3× beyond; the power
 * factor moves the bill 0.1% per point from 80% (improvement counted up to 95%). Whole NT$ at the end.
 */
export function monthlyBills(
  intervals: EnergyInterval[],
  maxDemandKwByMonth: Record<string, number>,
  contractKw: number,
  options: { zone: string; powerFactorPct?: number; versions?: TariffVersion[] },
): MonthlyBill[] {
  const { zone } = options;
  const versions = options.versions ?? TAIPOWER_HV_THREE_STAGE;
  const months = new Map<string, { byPeriod: ReturnType<typeof emptyPeriods>; first: Date }>();
  for (const interval of intervals) {
    const { month, iso, monthDay } = local(interval.start, zone);
    const entry = months.get(month) ?? months.set(month, { byPeriod: emptyPeriods(), first: interval.start }).get(month)!;
    const version = tariffOn(iso, versions);
    const period = touPeriod(interval.start, version, zone);
    const rate = version.energyPerKwh[period][inSummer(monthDay, version) ? 'summer' : 'nonSummer'];
    entry.byPeriod[period].kWh += interval.kWh;
    entry.byPeriod[period].charge += interval.kWh * rate;
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, { byPeriod }]) => {
      const version = tariffOn(`${month}-01`, versions);
      const daysInMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
      let summerDays = 0;
      for (let d = 1; d <= daysInMonth; d += 1) if (inSummer(`${month.slice(5, 7)}-${pad(d)}`, version)) summerDays += 1;
      const fee =
        (summerDays * version.basicFeePerKwMonth.summer + (daysInMonth - summerDays) * version.basicFeePerKwMonth.nonSummer) / daysInMonth;
      const maxDemandKw = maxDemandKwByMonth[month] ?? 0;
      const excess = Math.max(0, maxDemandKw - contractKw);
      const withinTenPercent = Math.min(excess, contractKw * 0.1);
      const overContractCharge = fee * (2 * withinTenPercent + 3 * (excess - withinTenPercent));
      const basicCharge = contractKw * fee;
      const energyCharge = Object.values(byPeriod).reduce((total, p) => total + p.charge, 0);
      const pf = options.powerFactorPct;
      const pfPoints = pf === undefined ? 0 : pf >= 80 ? -(Math.min(pf, 95) - 80) : 80 - pf;
      const powerFactorAdjustment = ((basicCharge + overContractCharge + energyCharge) * pfPoints * 0.1) / 100;
      const total = basicCharge + overContractCharge + energyCharge + powerFactorAdjustment;
      return {
        month,
        energyKwh: Object.values(byPeriod).reduce((totalKwh, p) => totalKwh + p.kWh, 0),
        byPeriod,
        energyCharge,
        contractKw,
        maxDemandKw,
        basicCharge,
        overContractCharge,
        powerFactorAdjustment,
        total: Math.round(total),
        tariffId: version.id,
      };
    });
}
