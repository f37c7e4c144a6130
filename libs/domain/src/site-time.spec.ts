import {
  addDays,
  daysBetween,
  hoursInLocalDate,
  isIsoDate,
  isTimeZone,
  localDate,
  localIso,
  localMinuteOfDay,
  localMonth,
  localWeekday,
  parseLocalDateTime,
  sameLocalTimeOn,
  startOfLocalDate,
  startOfLocalDay,
  startOfLocalHour,
  startOfLocalMonth,
  startOfNextLocalDay,
  startOfQuarterHour,
  wallClock,
  weekdayOfDate,
  zoneCity,
  zoneOffsetMs,
} from './site-time';

const at = Date.parse;
const HOUR = 3_600_000;

describe('site time', () => {
  describe('wall clock, local date, month, weekday and minute of day of an instant', () => {
    it.each([
      // instant, zone, local date, month, weekday, minute of day, offset (hours)
      ['2025-06-30T16:30:00Z', 'Asia/Taipei', '2025-07-01', '2025-07', 2, 30, 8],
      ['2025-06-30T15:59:59Z', 'Asia/Taipei', '2025-06-30', '2025-06', 1, 23 * 60 + 59, 8],
      ['2025-06-30T16:30:00Z', 'UTC', '2025-06-30', '2025-06', 1, 16 * 60 + 30, 0],
      ['2025-06-30T18:45:00Z', 'Asia/Kolkata', '2025-07-01', '2025-07', 2, 15, 5.5],
      ['2025-07-01T03:59:00Z', 'America/New_York', '2025-06-30', '2025-06', 1, 23 * 60 + 59, -4], // EDT
      ['2025-01-01T04:59:00Z', 'America/New_York', '2024-12-31', '2024-12', 2, 23 * 60 + 59, -5], // EST
      ['2025-03-09T06:59:00Z', 'America/New_York', '2025-03-09', '2025-03', 0, 60 + 59, -5], // 01:59 EST, just before the jump
      ['2025-03-09T07:00:00Z', 'America/New_York', '2025-03-09', '2025-03', 0, 3 * 60, -4], // 03:00 EDT
      ['2025-11-02T05:30:00Z', 'America/New_York', '2025-11-02', '2025-11', 0, 60 + 30, -4], // 01:30 EDT, the first time
      ['2025-11-02T06:30:00Z', 'America/New_York', '2025-11-02', '2025-11', 0, 60 + 30, -5], // 01:30 EST, the second time
    ] as const)('%s in %s is %s', (instant, zone, date, month, weekday, minutes, offsetHours) => {
      const ts = at(instant);
      expect(localDate(ts, zone)).toBe(date);
      expect(localMonth(ts, zone)).toBe(month);
      expect(localWeekday(ts, zone)).toBe(weekday);
      expect(localMinuteOfDay(ts, zone)).toBe(minutes);
      expect(zoneOffsetMs(ts, zone)).toBe(offsetHours * HOUR);
    });

    it('gives every field', () => {
      expect(wallClock(at('2025-07-01T02:05:09.250Z'), 'Asia/Taipei')).toEqual({
        year: 2025,
        month: 7,
        day: 1,
        hour: 10,
        minute: 5,
        second: 9,
        millisecond: 250,
        weekday: 2,
      });
    });
  });

  describe('local midnights, next days, months and hours', () => {
    it.each([
      // instant, zone, day start, next day start, hours in that day, month start
      [
        '2025-07-01T10:00:00+08:00',
        'Asia/Taipei',
        '2025-07-01T00:00:00+08:00',
        '2025-07-02T00:00:00+08:00',
        24,
        '2025-07-01T00:00:00+08:00',
      ],
      ['2025-07-01T23:00:00Z', 'UTC', '2025-07-01T00:00:00Z', '2025-07-02T00:00:00Z', 24, '2025-07-01T00:00:00Z'],
      [
        '2025-07-15T00:20:00+05:30',
        'Asia/Kolkata',
        '2025-07-15T00:00:00+05:30',
        '2025-07-16T00:00:00+05:30',
        24,
        '2025-07-01T00:00:00+05:30',
      ],
      [
        '2025-03-09T12:00:00-04:00',
        'America/New_York',
        '2025-03-09T00:00:00-05:00',
        '2025-03-10T00:00:00-04:00',
        23,
        '2025-03-01T00:00:00-05:00',
      ],
      [
        '2025-11-02T12:00:00-05:00',
        'America/New_York',
        '2025-11-02T00:00:00-04:00',
        '2025-11-03T00:00:00-05:00',
        25,
        '2025-11-01T00:00:00-04:00',
      ],
      [
        '2025-03-31T23:30:00-04:00',
        'America/New_York',
        '2025-03-31T00:00:00-04:00',
        '2025-04-01T00:00:00-04:00',
        24,
        '2025-03-01T00:00:00-05:00',
      ],
    ] as const)('%s in %s: day from %s to %s (%i h), month from %s', (instant, zone, start, next, hours, month) => {
      const ts = at(instant);
      expect(startOfLocalDay(ts, zone)).toBe(at(start));
      expect(startOfNextLocalDay(ts, zone)).toBe(at(next));
      expect((startOfNextLocalDay(ts, zone) - startOfLocalDay(ts, zone)) / HOUR).toBe(hours);
      expect(hoursInLocalDate(localDate(ts, zone), zone)).toBe(hours);
      expect(startOfLocalMonth(ts, zone)).toBe(at(month));
    });

    it.each([
      ['2025-07-01T10:59:59+08:00', 'Asia/Taipei', '2025-07-01T10:00:00+08:00'],
      ['2025-07-01T10:29:00+05:30', 'Asia/Kolkata', '2025-07-01T10:00:00+05:30'],
      ['2025-11-02T01:40:00-05:00', 'America/New_York', '2025-11-02T01:00:00-05:00'],
      ['2025-11-02T01:40:00-04:00', 'America/New_York', '2025-11-02T01:00:00-04:00'],
    ] as const)('the local hour of %s in %s starts at %s', (instant, zone, start) => {
      expect(startOfLocalHour(at(instant), zone)).toBe(at(start));
    });

    it('aligns quarter hours to UTC, which is a local quarter hour in every zone', () => {
      expect(startOfQuarterHour(at('2025-07-01T10:07:59+05:30'))).toBe(at('2025-07-01T10:00:00+05:30'));
      expect(startOfQuarterHour(at('2025-07-01T10:15:00+08:00'))).toBe(at('2025-07-01T10:15:00+08:00'));
    });
  });

  describe('local dates and times read in a zone', () => {
    it.each([
      ['2017-07-01', 'Asia/Taipei', '2017-06-30T16:00:00Z'],
      ['2017-07-01', 'UTC', '2017-07-01T00:00:00Z'],
      ['2017-07-01', 'Asia/Kolkata', '2017-06-30T18:30:00Z'],
      ['2025-03-09', 'America/New_York', '2025-03-09T05:00:00Z'],
      ['2025-03-10', 'America/New_York', '2025-03-10T04:00:00Z'],
      ['2025-11-02', 'America/New_York', '2025-11-02T04:00:00Z'],
      ['2025-11-03', 'America/New_York', '2025-11-03T05:00:00Z'],
    ] as const)('%s starts in %s at %s', (date, zone, instant) => {
      expect(startOfLocalDate(date, zone)).toBe(at(instant));
    });

    it.each([
      ['2025-03-09T08:00', 'America/New_York', '2025-03-09T08:00:00-04:00'],
      ['2025-03-09T02:30', 'America/New_York', '2025-03-09T03:30:00-04:00'], // does not exist: the offset before the jump
      ['2025-11-02T01:30', 'America/New_York', '2025-11-02T01:30:00-04:00'], // twice: the first
      ['2025-07-01 10:05:09.5', 'Asia/Taipei', '2025-07-01T10:05:09.500+08:00'],
      ['2025-07-01', 'Asia/Kolkata', '2025-07-01T00:00:00+05:30'],
    ] as const)('%s in %s is %s', (text, zone, instant) => {
      expect(parseLocalDateTime(text, zone)).toBe(at(instant));
    });

    it.each(['2025-02-30', '2025-13-01', '2025-07-01T24:00', '2025-07-01T10:00+08:00', 'yesterday', ''])(
      '%s is not a local date-time',
      (text) => {
        expect(parseLocalDateTime(text, 'Asia/Taipei')).toBeNull();
      },
    );

    it('refuses a date that is not one', () => {
      expect(() => startOfLocalDate('2025-02-29', 'UTC')).toThrow(RangeError);
      expect(isIsoDate('2024-02-29')).toBe(true);
      expect(isIsoDate('2025-02-29')).toBe(false);
    });
  });

  it.each([
    ['2025-07-01T10:05:00+08:00', 'Asia/Taipei', '2025-07-01T10:05:00+08:00'],
    ['2025-07-01T02:05:00.250Z', 'Asia/Taipei', '2025-07-01T10:05:00.250+08:00'],
    ['2025-07-01T10:05:00+05:30', 'Asia/Kolkata', '2025-07-01T10:05:00+05:30'],
    ['2025-11-02T06:30:00Z', 'America/New_York', '2025-11-02T01:30:00-05:00'],
    ['2025-11-02T05:30:00Z', 'America/New_York', '2025-11-02T01:30:00-04:00'],
    ['2025-07-01T10:05:00Z', 'UTC', '2025-07-01T10:05:00+00:00'],
  ] as const)('writes %s in %s as %s', (instant, zone, iso) => {
    expect(localIso(at(instant), zone)).toBe(iso);
    expect(at(localIso(at(instant), zone))).toBe(at(instant));
  });

  it('finds the same time of day on another date by the wall clock, across a daylight-saving change', () => {
    // 10:20 on the 23-hour day, and 10:20 the day before: 24 hours of wall clock, 23 of real time.
    expect(sameLocalTimeOn('2025-03-08', at('2025-03-09T10:20:00-04:00'), 'America/New_York')).toBe(at('2025-03-08T10:20:00-05:00'));
    expect(sameLocalTimeOn('2025-06-30', at('2025-07-01T10:20:00+08:00'), 'Asia/Taipei')).toBe(at('2025-06-30T10:20:00+08:00'));
  });

  it('does calendar arithmetic on dates, whatever the zone', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(daysBetween('2025-03-01', '2025-04-01')).toBe(31);
    expect(weekdayOfDate('2025-03-09')).toBe(0);
  });

  it('knows which zones exist and names them for people', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(zoneCity('America/New_York')).toBe('New York');
    expect(zoneCity('Asia/Taipei')).toBe('Taipei');
    expect(zoneCity('UTC')).toBe('UTC');
  });
});
