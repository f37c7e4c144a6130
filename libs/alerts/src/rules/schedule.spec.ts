import { ActiveSchedule } from './rule-definition';
import { isActive } from './schedule';

describe("isActive (on the site's clock)", () => {
  it.each<[ActiveSchedule, string, boolean]>([
    [{ preset: 'office-hours' }, '2026-07-06T09:00:00+08:00', true], // Monday
    [{ preset: 'office-hours' }, '2026-07-06T18:00:00+08:00', false],
    [{ preset: 'office-hours' }, '2026-07-11T09:00:00+08:00', false], // Saturday
    [{ preset: 'after-hours' }, '2026-07-11T09:00:00+08:00', true],
    [{ preset: 'after-hours' }, '2026-07-06T12:00:00+08:00', false],
    [{ preset: 'nights' }, '2026-07-06T23:30:00+08:00', true],
    [{ preset: 'nights' }, '2026-07-07T05:59:00+08:00', true],
    [{ preset: 'nights' }, '2026-07-07T06:00:00+08:00', false],
    [{ preset: 'weekends' }, '2026-07-12T12:00:00+08:00', true], // Sunday
    [{ windows: [{ days: [5], from: '22:00', to: '02:00' }] }, '2026-07-11T01:00:00+08:00', true], // Friday night into Saturday
    [{ windows: [{ days: [5], from: '22:00', to: '02:00' }] }, '2026-07-12T01:00:00+08:00', false],
  ])('%j at %s in Taipei: %s', (schedule, instant, expected) => {
    expect(isActive(schedule, Date.parse(instant), 'Asia/Taipei')).toBe(expected);
  });

  // Office hours 08:00-18:00 on weekdays in New York, across the spring-forward Sunday (9 March 2025).
  it.each<[string, boolean]>([
    ['2025-03-07T08:00:00-05:00', true], // Friday 08:00 EST
    ['2025-03-07T07:59:00-05:00', false],
    ['2025-03-07T17:59:00-05:00', true],
    ['2025-03-07T18:00:00-05:00', false],
    ['2025-03-09T10:00:00-04:00', false], // Sunday
    ['2025-03-10T08:00:00-04:00', true], // Monday 08:00 EDT: 12:00 UTC, an hour earlier in UTC than on Friday
    ['2025-03-10T08:30:00-04:00', true], // 08:30 EDT = 12:30 UTC, which would be 07:30 on Friday's offset (EST)
    ['2025-03-10T17:30:00-04:00', true],
    ['2025-03-10T18:00:00-04:00', false],
    ['2025-03-10T13:00:00Z', true], // 09:00 EDT, Monday; 21:00 in Taipei
  ])('office hours at %s in New York: %s', (instant, expected) => {
    expect(isActive({ preset: 'office-hours' }, Date.parse(instant), 'America/New_York')).toBe(expected);
  });

  it('reads the same instant by each zone', () => {
    const instant = Date.parse('2026-07-06T01:00:00Z'); // Monday 09:00 in Taipei, Sunday 21:00 in New York, Monday 06:30 in Kolkata
    expect(isActive({ preset: 'office-hours' }, instant, 'Asia/Taipei')).toBe(true);
    expect(isActive({ preset: 'office-hours' }, instant, 'America/New_York')).toBe(false);
    expect(isActive({ preset: 'office-hours' }, instant, 'Asia/Kolkata')).toBe(false);
    expect(isActive({ preset: 'nights' }, instant, 'America/New_York')).toBe(false);
    expect(isActive({ preset: 'nights' }, instant, 'UTC')).toBe(true); // 01:00 UTC
  });

  it('is always active without a schedule', () => {
    expect(isActive(undefined, Date.parse('2026-07-12T03:00:00+08:00'), 'Asia/Taipei')).toBe(true);
  });
});
