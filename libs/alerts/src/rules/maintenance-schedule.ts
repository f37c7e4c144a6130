export const RECURRENCES = ['weekly', 'monthly', 'quarterly', 'semi-annual', 'annual'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

const MONTHS: Record<Exclude<Recurrence, 'weekly'>, number> = { monthly: 1, quarterly: 3, 'semi-annual': 6, annual: 12 };

const parts = (iso: string) => iso.split('-').map(Number) as [number, number, number];
const pad = (n: number) => String(n).padStart(2, '0');

/** The n-th occurrence of a series from its anchor; month ends clamp, the anchor's day returns where the month has it. */
export function occurrence(recurrence: Recurrence, anchor: string, n: number): string {
  if (recurrence === 'weekly') return new Date(Date.parse(`${anchor}T00:00:00Z`) + n * 7 * 86_400_000).toISOString().slice(0, 10);
  const [y, m, d] = parts(anchor);
  const index = y * 12 + (m - 1) + n * MONTHS[recurrence];
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(d, lastDay))}`;
}

/** Occurrences in [from, to). */
export function dueDatesBetween(recurrence: Recurrence, anchor: string, from: string, to: string): string[] {
  const dates: string[] = [];
  for (let n = 0; ; n += 1) {
    const date = occurrence(recurrence, anchor, n);
    if (date >= to) return dates;
    if (date >= from) dates.push(date);
  }
}

/** Run-hour based tasks (every 2,000 chiller running hours): due once the hours since the last one reach the interval. */
export function runHourTaskDue(
  task: { everyHours: number; lastDoneAtHours: number },
  currentHours: number,
): { due: boolean; hoursUntilDue: number } {
  const hoursUntilDue = task.lastDoneAtHours + task.everyHours - currentHours;
  return { due: hoursUntilDue <= 0, hoursUntilDue };
}
