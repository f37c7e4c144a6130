import { localMinuteOfDay, localWeekday } from '@hallwatch/domain';
import { ActiveSchedule, ScheduleWindow } from './rule-definition';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

/** Weekdays 08:00-18:00: office hours, and a site's occupied hours unless its registry says otherwise. */
export const OFFICE_HOURS: ScheduleWindow[] = [{ days: WEEKDAYS, from: '08:00', to: '18:00' }];

const PRESETS: Record<string, ScheduleWindow[]> = {
  always: [{ days: EVERY_DAY, from: '00:00', to: '24:00' }],
  'office-hours': OFFICE_HOURS,
  nights: [{ days: EVERY_DAY, from: '22:00', to: '06:00' }],
  weekends: [{ days: [0, 6], from: '00:00', to: '24:00' }],
};

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function inWindow(window: ScheduleWindow, weekday: number, minutes: number): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from < to) return window.days.includes(weekday) && minutes >= from && minutes < to;
  // Across midnight: the window belongs to the day it starts on.
  return (window.days.includes(weekday) && minutes >= from) || (window.days.includes((weekday + 6) % 7) && minutes < to);
}

/** Whether a rule is active at an instant, on the wall clock of its site's time zone. No schedule: always. */
export function isActive(schedule: ActiveSchedule | undefined, at: number, zone: string): boolean {
  if (!schedule) return true;
  const weekday = localWeekday(at, zone);
  const minutes = localMinuteOfDay(at, zone);
  if ('preset' in schedule && schedule.preset === 'after-hours') return !PRESETS['office-hours'].some((w) => inWindow(w, weekday, minutes));
  const windows = 'preset' in schedule ? PRESETS[schedule.preset] : schedule.windows;
  return windows.some((w) => inWindow(w, weekday, minutes));
}

const WINDOW_TEXT = /^(\d)(?:-(\d))? ([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d)$/;

/**
 * A site's occupied hours from its registry attribute `occupiedHours`: windows separated by `;`,
 * each weekdays (0 Sunday - 6 Saturday, one or a range) and local times, e.g. `1-5 08:00-18:00; 6 08:00-12:00`.
 * Null when the text does not read as that.
 */
export function parseOccupiedHours(text: string): ScheduleWindow[] | null {
  const windows: ScheduleWindow[] = [];
  for (const part of text.split(';').map((p) => p.trim().replace(/\s+/g, ' '))) {
    const match = WINDOW_TEXT.exec(part);
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first > 6 || last > 6 || last < first) return null;
    const days = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    windows.push({ days, from: match[3], to: match[4] });
  }
  return windows.length > 0 ? windows : null;
}
