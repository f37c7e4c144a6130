import { ActiveSchedule } from './rule-definition';
import { isActive } from './schedule';

const at = (local: string) => Date.parse(`${local}+08:00`);

describe('isActive (Taipei time)', () => {
  it.each<[ActiveSchedule, string, boolean]>([
    [{ preset: 'office-hours' }, '2026-07-06T09:00:00', true], // Monday
    [{ preset: 'office-hours' }, '2026-07-06T18:00:00', false],
    [{ preset: 'office-hours' }, '2026-07-11T09:00:00', false], // Saturday
    [{ preset: 'after-hours' }, '2026-07-11T09:00:00', true],
    [{ preset: 'after-hours' }, '2026-07-06T12:00:00', false],
    [{ preset: 'nights' }, '2026-07-06T23:30:00', true],
    [{ preset: 'nights' }, '2026-07-07T05:59:00', true],
    [{ preset: 'nights' }, '2026-07-07T06:00:00', false],
    [{ preset: 'weekends' }, '2026-07-12T12:00:00', true], // Sunday
    [{ windows: [{ days: [5], from: '22:00', to: '02:00' }] }, '2026-07-11T01:00:00', true], // Friday night into Saturday
    [{ windows: [{ days: [5], from: '22:00', to: '02:00' }] }, '2026-07-12T01:00:00', false],
  ])('%j at %s: %s', (schedule, local, expected) => {
    expect(isActive(schedule, at(local))).toBe(expected);
  });

  it('is always active without a schedule', () => {
    expect(isActive(undefined, at('2026-07-12T03:00:00'))).toBe(true);
  });
});
