import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { BuildingModel, occupancy } from './building.model';
import {
  isTaiwanHoliday,
  isTaiwanMakeUpWorkday,
  isTaiwanWorkday,
  TAIWAN_HOLIDAY_YEARS,
  taiwanHolidays,
  taiwanHolidaysOn,
} from './taiwan-holidays';

const names = (date: string) => taiwanHolidaysOn(date).map((holiday) => holiday.en);
/** The weekdays (Monday-Friday) a year's government offices are closed, from its holiday list. */
const weekdaysOff = (year: number) =>
  [...new Set(taiwanHolidays(year).map((holiday) => holiday.date))].filter((date) => ![0, 6].includes(new Date(date).getUTCDay()));

describe('Taiwan holidays as government offices observe them', () => {
  it.each([
    [2015, '02-19'],
    [2016, '02-08'],
    [2017, '01-28'],
    [2018, '02-16'],
    [2019, '02-05'],
    [2020, '01-25'],
    [2021, '02-12'],
    [2022, '02-01'],
    [2023, '01-22'],
    [2024, '02-10'],
    [2025, '01-29'],
    [2026, '02-17'],
    [2027, '02-06'],
    [2028, '01-26'],
    [2029, '02-13'],
    [2030, '02-03'],
  ])("has Lunar New Year's Day %i on %s, its eve the day before and the 2nd and 3rd days after", (year, monthDay) => {
    const day = Date.parse(`${year}-${monthDay}T00:00:00Z`);
    const iso = (offset: number) => new Date(day + offset * 86_400_000).toISOString().slice(0, 10);
    expect(taiwanHolidaysOn(iso(0))).toEqual([{ date: iso(0), zh: '春節（正月初一）', en: "Lunar New Year's Day", kind: 'holiday' }]);
    expect(names(iso(-1))).toEqual(["Lunar New Year's Eve"]);
    expect(names(iso(1))).toEqual(['Lunar New Year, 2nd day']);
    expect(names(iso(2))).toEqual(['Lunar New Year, 3rd day']);
    // The day before the eve is a holiday since the 2025 amendment, from 2026.
    expect(names(iso(-2)).includes("Day before Lunar New Year's Eve")).toBe(year >= 2026);
  });

  it('knows the lunar festivals and Tomb Sweeping Day from the table', () => {
    expect(names('2025-10-06')).toEqual(['Mid-Autumn Festival']);
    expect(names('2026-09-25')).toEqual(['Mid-Autumn Festival']);
    expect(names('2024-06-10')).toEqual(['Dragon Boat Festival']);
    expect(names('2026-06-19')).toEqual(['Dragon Boat Festival']);
    expect(names('2030-06-05')).toEqual(['Dragon Boat Festival']);
    expect(names('2023-04-05')).toEqual(['Tomb Sweeping Day']);
    expect(names('2030-04-05')).toEqual(['Tomb Sweeping Day']);
    expect(taiwanHolidaysOn('2025-10-06')[0].zh).toBe('中秋節');
    for (let year = TAIWAN_HOLIDAY_YEARS.first; year <= TAIWAN_HOLIDAY_YEARS.last; year++) {
      const en = taiwanHolidays(year).map((holiday) => holiday.en);
      for (const name of [
        "New Year's Day (Founding Day of the Republic of China)",
        'Peace Memorial Day',
        "Children's Day",
        'Tomb Sweeping Day',
      ])
        expect(en).toContain(name);
      for (const name of ['Dragon Boat Festival', 'Mid-Autumn Festival', 'National Day']) expect(en).toContain(name);
    }
  });

  it('moves a Saturday holiday to the Friday before and a Sunday one to the Monday after', () => {
    expect(names('2015-10-09')).toEqual(['National Day (observed)']); // 10/10 a Saturday
    expect(names('2022-09-09')).toEqual(['Mid-Autumn Festival (observed)']);
    expect(names('2025-05-30')).toEqual(['Dragon Boat Festival (observed)']);
    expect(names('2021-10-11')).toEqual(['National Day (observed)']); // 10/10 a Sunday
    expect(names('2017-01-02')).toEqual(["New Year's Day (Founding Day of the Republic of China) (observed)"]);
    expect(names('2028-05-29')).toEqual(['Dragon Boat Festival (observed)']);
    // 2022-01-01 is a Saturday: taken on the last working day of 2021.
    expect(names('2021-12-31')).toEqual(["New Year's Day (Founding Day of the Republic of China) (observed)"]);
    expect(taiwanHolidays(2021).at(-1)?.date).toBe('2021-12-31');
  });

  it('makes up every Lunar New Year day on a weekend after the third day', () => {
    expect(names('2017-01-31')).toEqual(['Lunar New Year (observed)']);
    expect(names('2017-02-01')).toEqual(['Lunar New Year (observed)']);
    expect(isTaiwanWorkday('2017-02-02')).toBe(true);
    expect(names('2023-01-25')).toEqual(['Lunar New Year (observed)']);
    expect(names('2023-01-26')).toEqual(['Lunar New Year (observed)']);
    expect(names('2026-02-20')).toEqual(['Lunar New Year (observed)']); // the day before the eve, 2/15, a Sunday
    expect(names('2030-02-06')).toEqual(['Lunar New Year (observed)']);
    expect(names('2030-02-07')).toEqual(['Lunar New Year (observed)']);
  });

  it("takes Children's Day the day before Tomb Sweeping Day when they coincide (the day after on a Thursday)", () => {
    expect(names('2016-04-05')).toEqual(["Children's Day (observed)"]); // both Monday 4/4
    expect(names('2017-04-03')).toEqual(["Children's Day (observed)"]); // Tuesday
    expect(names('2020-04-03')).toEqual(["Children's Day (observed)"]); // Saturday
    expect(names('2020-04-02')).toEqual(['Tomb Sweeping Day (observed)']);
    expect(names('2021-04-02')).toEqual(["Children's Day (observed)"]); // Sunday
    expect(names('2021-04-05')).toEqual(['Tomb Sweeping Day (observed)']);
    expect(names('2024-04-05')).toEqual(["Children's Day (observed)"]); // Thursday
    expect(names('2025-04-03')).toEqual(["Children's Day (observed)"]); // Friday
    expect(names('2027-04-06')).toEqual(["Children's Day (observed)"]); // a Sunday, the Monday being Tomb Sweeping Day
  });

  it('gives Labour Day to government offices only from 2026, and the 2025 additions from 2025', () => {
    expect(isTaiwanHoliday('2024-05-01')).toBe(false);
    expect(isTaiwanHoliday('2025-05-01')).toBe(false);
    expect(names('2026-05-01')).toEqual(['Labour Day']);
    expect(names('2027-04-30')).toEqual(['Labour Day (observed)']);
    expect(isTaiwanHoliday('2024-09-27')).toBe(false);
    expect(names('2025-09-29')).toEqual(["Teachers' Day (Confucius's Birthday) (observed)"]);
    expect(names('2025-10-24')).toEqual(['Taiwan Retrocession and Guningtou Victory Memorial Day (observed)']);
    expect(names('2025-12-25')).toEqual(['Constitution Day']);
    expect(isTaiwanHoliday('2024-12-25')).toBe(false);
  });

  it("matches the DGPA calendars' weekdays off, bridging days and make-up Saturdays", () => {
    expect(weekdaysOff(2024)).toEqual([
      ...['2024-01-01', '2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14', '2024-02-28'],
      ...['2024-04-04', '2024-04-05', '2024-06-10', '2024-09-17', '2024-10-10'],
    ]);
    expect(weekdaysOff(2025)).toEqual([
      ...['2025-01-01', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-28', '2025-04-03'],
      ...['2025-04-04', '2025-05-30', '2025-09-29', '2025-10-06', '2025-10-10', '2025-10-24', '2025-12-25'],
    ]);
    expect(taiwanHolidaysOn('2023-01-20')).toEqual([{ date: '2023-01-20', zh: '調整放假', en: 'Bridging day off', kind: 'bridge' }]);
    expect(isTaiwanMakeUpWorkday('2023-01-07')).toBe(true);
    expect(isTaiwanWorkday('2025-02-08')).toBe(true); // a Saturday worked for 2025-01-27
    expect(isTaiwanWorkday('2025-02-15')).toBe(false);
    expect(isTaiwanWorkday('2025-07-01')).toBe(true);
  });

  it('reads an instant as its Taipei calendar day', () => {
    expect(isTaiwanHoliday(Date.parse('2026-02-16T16:30:00Z'))).toBe(true); // 2026-02-17 00:30 in Taipei
    expect(isTaiwanHoliday(new Date('2025-10-05T15:59:00Z'))).toBe(false); // Sunday 23:59 in Taipei, not a holiday
    expect(isTaiwanHoliday(new Date('2025-10-05T16:00:00Z'))).toBe(true); // Mid-Autumn from midnight
    expect(() => isTaiwanHoliday('not a date')).toThrow(RangeError);
  });

  it('outside 2015-2030 knows only the fixed-date holidays', () => {
    expect(names('2031-10-10')).toEqual(['National Day']);
    expect(taiwanHolidays(2031).some((holiday) => holiday.en.startsWith('Lunar'))).toBe(false);
  });

  it('gives a weekday holiday the occupancy of a Sunday, and a make-up Saturday that of a working day', () => {
    const at = (iso: string) => Date.parse(iso);
    const sunday = occupancy(at('2026-02-22T10:00:00+08:00'), 'Asia/Taipei');
    expect(occupancy(at('2026-02-17T10:00:00+08:00'), 'Asia/Taipei')).toBe(sunday); // Lunar New Year's Day, a Tuesday
    expect(occupancy(at('2025-10-06T10:00:00+08:00'), 'Asia/Taipei')).toBe(sunday); // Mid-Autumn, a Monday
    expect(occupancy(at('2026-02-24T10:00:00+08:00'), 'Asia/Taipei')).toBe(1);
    expect(occupancy(at('2025-02-08T10:00:00+08:00'), 'Asia/Taipei')).toBe(1); // make-up Saturday
    expect(occupancy(at('2025-05-01T10:00:00+08:00'), 'Asia/Taipei')).toBe(1); // Labour Day 2025: offices open

    const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
    const lighting = (iso: string) => new BuildingModel(site, 7).sample(at(iso)).get('submeter-lighting-low')!.kW;
    const holiday = lighting('2026-02-17T10:00:00+08:00');
    expect(holiday).toBeCloseTo(lighting('2026-02-22T10:00:00+08:00'), -1);
    expect(lighting('2026-02-24T10:00:00+08:00')).toBeGreaterThan(3 * holiday);
  });
});
