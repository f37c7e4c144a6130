import { localMinuteOfDay, localWeekday } from '@hallwatch/domain';
import { ActiveSchedule, ScheduleWindow } from './rule-definition';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const PRESETS: Record<string, ScheduleWindow[]> = {
  always: [{ days: EVERY_DAY, from: '00:00', to: '24:00' }],
  'office-hours': [{ days: WEEKDAYS, from: '08:00', to: '18:00' }],
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
