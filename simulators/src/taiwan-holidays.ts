/**
 * Taiwan's national holidays as government offices observe them (the DGPA's 行政機關辦公日曆表),
 * 2015-2030: the days themselves, the substitute days (補假) for those on a weekend and the bridging
 * days off (調整放假) with the Saturdays worked for them (補行上班). Sources and assumptions:
 * simulators/PORTFOLIO.md. Lunar dates come from the table below, never from a calendar computed at run time.
 */
import { localDate } from '@hallwatch/domain';

export interface TaiwanHoliday {
  /** YYYY-MM-DD, the Taipei calendar day */
  date: string;
  zh: string;
  en: string;
  /** `holiday`: the day itself (even on a weekend); `observed`: a substitute day; `bridge`: a bridging day off worked back on a Saturday */
  kind: 'holiday' | 'observed' | 'bridge';
}

export const TAIWAN_HOLIDAY_YEARS = { first: 2015, last: 2030 } as const;

/**
 * Gregorian month-day per year of Lunar New Year's Day (1st of the 1st lunar month), the Dragon Boat
 * Festival (5th of the 5th), the Mid-Autumn Festival (15th of the 8th) and Tomb Sweeping Day (the
 * Qingming solar term, sun at 15°, Taipei time). Checked against python-holidays' Chinese calendar
 * tables and, for Qingming, a solar-longitude computation.
 */
const LUNAR_DATES: Record<number, { newYear: string; dragonBoat: string; midAutumn: string; qingming: string }> = {
  2015: { newYear: '02-19', dragonBoat: '06-20', midAutumn: '09-27', qingming: '04-05' },
  2016: { newYear: '02-08', dragonBoat: '06-09', midAutumn: '09-15', qingming: '04-04' },
  2017: { newYear: '01-28', dragonBoat: '05-30', midAutumn: '10-04', qingming: '04-04' },
  2018: { newYear: '02-16', dragonBoat: '06-18', midAutumn: '09-24', qingming: '04-05' },
  2019: { newYear: '02-05', dragonBoat: '06-07', midAutumn: '09-13', qingming: '04-05' },
  2020: { newYear: '01-25', dragonBoat: '06-25', midAutumn: '10-01', qingming: '04-04' },
  2021: { newYear: '02-12', dragonBoat: '06-14', midAutumn: '09-21', qingming: '04-04' },
  2022: { newYear: '02-01', dragonBoat: '06-03', midAutumn: '09-10', qingming: '04-05' },
  2023: { newYear: '01-22', dragonBoat: '06-22', midAutumn: '09-29', qingming: '04-05' },
  2024: { newYear: '02-10', dragonBoat: '06-10', midAutumn: '09-17', qingming: '04-04' },
  2025: { newYear: '01-29', dragonBoat: '05-31', midAutumn: '10-06', qingming: '04-04' },
  2026: { newYear: '02-17', dragonBoat: '06-19', midAutumn: '09-25', qingming: '04-05' },
  2027: { newYear: '02-06', dragonBoat: '06-09', midAutumn: '09-15', qingming: '04-05' },
  2028: { newYear: '01-26', dragonBoat: '05-28', midAutumn: '10-03', qingming: '04-04' },
  2029: { newYear: '02-13', dragonBoat: '06-16', midAutumn: '09-22', qingming: '04-04' },
  2030: { newYear: '02-03', dragonBoat: '06-05', midAutumn: '09-12', qingming: '04-05' },
};

/**
 * Bridging days off and the Saturday worked for each, as the DGPA published them (2015-2025). The
 * calendars from 2026 have none; 2027-2030 are not published yet and are assumed to have none.
 */
const BRIDGES: ReadonlyArray<readonly [dayOff: string, workday: string]> = [
  ['2015-01-02', '2014-12-27'],
  ['2016-02-12', '2016-01-30'],
  ['2016-06-10', '2016-06-04'],
  ['2016-09-16', '2016-09-10'],
  ['2017-02-27', '2017-02-18'],
  ['2017-05-29', '2017-06-03'],
  ['2017-10-09', '2017-09-30'],
  ['2018-04-06', '2018-03-31'],
  ['2018-12-31', '2018-12-22'],
  ['2019-02-08', '2019-01-19'],
  ['2019-03-01', '2019-02-23'],
  ['2019-10-11', '2019-10-05'],
  ['2020-01-23', '2020-02-15'],
  ['2020-06-26', '2020-06-20'],
  ['2020-10-02', '2020-09-26'],
  ['2021-02-10', '2021-02-20'],
  ['2021-09-20', '2021-09-11'],
  ['2022-02-04', '2022-01-22'],
  ['2023-01-20', '2023-01-07'],
  ['2023-01-27', '2023-02-04'],
  ['2023-02-27', '2023-02-18'],
  ['2023-04-03', '2023-03-25'],
  ['2023-06-23', '2023-06-17'],
  ['2023-10-09', '2023-09-23'],
  ['2024-02-08', '2024-02-17'],
  ['2025-01-27', '2025-02-08'],
];

const DAY_MS = 86_400_000;
/** Taiwan's national calendar runs on Taipei's clock, wherever the building using it is. */
const TAIWAN_ZONE = 'Asia/Taipei';

type Name = readonly [zh: string, en: string];
const NEW_YEAR: Name = ['中華民國開國紀念日', "New Year's Day (Founding Day of the Republic of China)"];
const SPRING: Name = ['春節', 'Lunar New Year'];
const CHILDREN: Name = ['兒童節', "Children's Day"];
const QINGMING: Name = ['民族掃墓節', 'Tomb Sweeping Day'];

/** Epoch day (days since 1970-01-01) of a YYYY-MM-DD date. */
function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 Sunday - 6 Saturday */
function weekdayOf(day: number): number {
  return (day + 4) % 7;
}

const isWeekend = (day: number) => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/**
 * The year's holidays, computed from the tables with the rules in force since 2015: a holiday on a
 * Saturday is taken on the working day before, one on a Sunday on the working day after; the Lunar
 * New Year days that fall on a weekend are all made up on the working days after the third day;
 * when Children's Day and Tomb Sweeping Day are the same day, Children's Day is taken the day before
 * (the day after when that day is a Thursday). Since the 2025 amendment of the 紀念日及節日實施條例:
 * Teachers' Day, Retrocession Day and Constitution Day from 2025, Labour Day and the day before Lunar
 * New Year's Eve from 2026. Outside 2015-2030 only the fixed-date holidays are known (no lunar ones).
 */
function compute(year: number): TaiwanHoliday[] {
  const lunar = LUNAR_DATES[year] as (typeof LUNAR_DATES)[number] | undefined;
  const out: TaiwanHoliday[] = [];
  const taken = new Set<number>();
  const add = (day: number, [zh, en]: Name, kind: TaiwanHoliday['kind']) => {
    out.push({ date: isoOf(day), zh, en, kind });
    taken.add(day);
  };
  const on = (monthDay: string) => dayOf(`${year}-${monthDay}`);

  // The days themselves; `observe` lists those moved by the weekend rule, in date order.
  const observe: Array<[number, Name]> = [];
  const holiday = (day: number, name: Name, weekendRule = true) => {
    add(day, name, 'holiday');
    if (weekendRule) observe.push([day, name]);
  };
  holiday(on('01-01'), NEW_YEAR);
  const spring: number[] = [];
  if (lunar) {
    const newYear = on(lunar.newYear);
    if (year >= 2026) spring.push(newYear - 2);
    spring.push(newYear - 1, newYear, newYear + 1, newYear + 2);
    const names: Record<number, Name> = {
      [newYear - 2]: ['農曆除夕前一日', "Day before Lunar New Year's Eve"],
      [newYear - 1]: ['農曆除夕', "Lunar New Year's Eve"],
      [newYear]: ['春節（正月初一）', "Lunar New Year's Day"],
      [newYear + 1]: ['春節（正月初二）', 'Lunar New Year, 2nd day'],
      [newYear + 2]: ['春節（正月初三）', 'Lunar New Year, 3rd day'],
    };
    for (const day of spring) holiday(day, names[day], false);
  }
  holiday(on('02-28'), ['和平紀念日', 'Peace Memorial Day']);
  const qingming = lunar ? on(lunar.qingming) : undefined;
  const childrensDay = on('04-04');
  if (qingming !== undefined) holiday(qingming, QINGMING);
  holiday(childrensDay, CHILDREN, childrensDay !== qingming);
  if (year >= 2026) holiday(on('05-01'), ['勞動節', 'Labour Day']);
  if (lunar) holiday(on(lunar.dragonBoat), ['端午節', 'Dragon Boat Festival']);
  if (lunar) holiday(on(lunar.midAutumn), ['中秋節', 'Mid-Autumn Festival']);
  if (year >= 2025) holiday(on('09-28'), ['孔子誕辰紀念日（教師節）', "Teachers' Day (Confucius's Birthday)"]);
  holiday(on('10-10'), ['國慶日', 'National Day']);
  if (year >= 2025) holiday(on('10-25'), ['臺灣光復暨金門古寧頭大捷紀念日', 'Taiwan Retrocession and Guningtou Victory Memorial Day']);
  if (year >= 2025) holiday(on('12-25'), ['行憲紀念日', 'Constitution Day']);
  for (const [dayOff] of BRIDGES) if (dayOff.startsWith(`${year}-`)) add(dayOf(dayOff), ['調整放假', 'Bridging day off'], 'bridge');

  const observed = ([zh, en]: Name): Name => [`${zh}補假`, `${en} (observed)`];
  const workingDay = (from: number, step: 1 | -1) => {
    let day = from + step;
    while (isWeekend(day) || taken.has(day)) day += step;
    return day;
  };
  // Lunar New Year first: each of its days on a weekend is made up after the third day.
  let last = spring.length > 0 ? spring[spring.length - 1] : 0;
  for (let weekendDays = spring.filter(isWeekend).length; weekendDays > 0; weekendDays--) {
    last = workingDay(last, 1);
    add(last, observed(SPRING), 'observed');
  }
  if (qingming === childrensDay) {
    // The same day: Children's Day the day before (after, on a Thursday), then the weekend rule.
    let day = weekdayOf(childrensDay) === 4 ? childrensDay + 1 : childrensDay - 1;
    if (weekdayOf(day) === 6) day = workingDay(day, -1);
    else if (weekdayOf(day) === 0) day = workingDay(day, 1);
    add(day, observed(CHILDREN), 'observed');
  }
  for (const [day, name] of observe.sort((a, b) => a[0] - b[0])) {
    if (weekdayOf(day) === 6) add(workingDay(day, -1), observed(name), 'observed');
    if (weekdayOf(day) === 0) add(workingDay(day, 1), observed(name), 'observed');
  }
  // Next year's New Year's Day on a Saturday is taken on this year's last working day.
  const nextNewYear = dayOf(`${year + 1}-01-01`);
  if (weekdayOf(nextNewYear) === 6) add(workingDay(nextNewYear, -1), observed(NEW_YEAR), 'observed');
  return out.filter((entry) => entry.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
}

const byYear = new Map<number, Map<number, TaiwanHoliday[]>>();
const MAKE_UP_WORKDAYS = new Set(BRIDGES.map(([, workday]) => dayOf(workday)));

/** The holidays on an epoch day, from the year's index (computed once per year). */
function entriesOn(day: number): TaiwanHoliday[] {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let index = byYear.get(year);
  if (!index) {
    index = new Map();
    for (const entry of compute(year)) {
      const at = dayOf(entry.date);
      index.set(at, [...(index.get(at) ?? []), entry]);
    }
    byYear.set(year, index);
  }
  return index.get(day) ?? [];
}

/** The Taipei calendar day of an instant (epoch ms or Date) or of a YYYY-MM-DD string, as an epoch day. */
function taipeiDay(date: Date | number | string): number {
  if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) return dayOf(date);
  const ms = typeof date === 'number' ? date : new Date(date).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(date)}`);
  return dayOf(localDate(ms, TAIWAN_ZONE));
}

/** Every holiday, substitute and bridging day off of a year, in date order (a date may carry two names). */
export function taiwanHolidays(year: number): TaiwanHoliday[] {
  return compute(year);
}

/** The holidays on a day (empty on an ordinary day); an instant is read as its Taipei calendar day. */
export function taiwanHolidaysOn(date: Date | number | string): TaiwanHoliday[] {
  return entriesOn(taipeiDay(date)).map((entry) => ({ ...entry }));
}

/** True on a national holiday, its substitute day or a bridging day off (whatever the weekday). */
export function isTaiwanHoliday(date: Date | number | string): boolean {
  return entriesOn(taipeiDay(date)).length > 0;
}

/** True on a Saturday worked to make up for a bridging day off. */
export function isTaiwanMakeUpWorkday(date: Date | number | string): boolean {
  return MAKE_UP_WORKDAYS.has(taipeiDay(date));
}

/** True when government offices are open: Monday to Friday but holidays, and the make-up Saturdays. */
export function isTaiwanWorkday(date: Date | number | string): boolean {
  const day = taipeiDay(date);
  if (MAKE_UP_WORKDAYS.has(day)) return true;
  return !isWeekend(day) && entriesOn(day).length === 0;
}
