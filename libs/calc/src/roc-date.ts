export interface Period {
  /** ISO date, inclusive */
  from: string;
  /** ISO date, exclusive */
  to: string;
}

const ROC_OFFSET = 1911;
const DAY_MS = 86_400_000;

export function rocYear(gregorianYear: number): number {
  return gregorianYear - ROC_OFFSET;
}

function parts(isoDate: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new Error(`not an ISO date (YYYY-MM-DD): ${isoDate}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** '2024-01-01' -> '113/01/01' (slash), '113.01.01' (dot) or '1130101' (compact). */
export function formatRocDate(isoDate: string, style: 'slash' | 'dot' | 'compact' = 'slash'): string {
  const [y, m, d] = parts(isoDate);
  const year = rocYear(y);
  if (style === 'compact') return `${pad(year, 3)}${pad(m)}${pad(d)}`;
  const separator = style === 'dot' ? '.' : '/';
  return `${year}${separator}${pad(m)}${separator}${pad(d)}`;
}

/** The inverse of formatRocDate; also reads older two-digit years ('99/12/31', '991231'). */
export function parseRocDate(text: string): string {
  const trimmed = text.trim();
  const separated = /^(\d{2,3})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(trimmed);
  const compact = /^(\d{2,3})(\d{2})(\d{2})$/.exec(trimmed);
  const match = separated ?? compact;
  if (!match) throw new Error(`not an ROC date (113/01/01, 113.01.01 or 1130101): ${text}`);
  const [y, m, d] = [Number(match[1]) + ROC_OFFSET, Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new Error(`no such day: ${text}`);
  return iso(y, m, d);
}

export function halfYear(year: number, half: 1 | 2): Period {
  return half === 1 ? { from: `${year}-01-01`, to: `${year}-07-01` } : { from: `${year}-07-01`, to: `${year + 1}-01-01` };
}

/**
 * The same calendar dates in another year. A period starting or ending on 29 February moves to
 * 1 March in a common year, so a leap day is never silently dropped from the middle of a range.
 */
export function samePeriodInYear(period: Period, year: number): Period {
  const shift = (isoDate: string) => {
    const [y, m, d] = parts(isoDate);
    const target = year + (y - Number(period.from.slice(0, 4)));
    return m === 2 && d === 29 && daysInMonth(target, 2) === 28 ? iso(target, 3, 1) : iso(target, m, d);
  };
  return { from: shift(period.from), to: shift(period.to) };
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '106年下半年', '106年第3季', '106年7月', '106年', or a date range; English alike. */
export function describePeriod(period: Period, lang: 'zh-TW' | 'en'): string {
  const [y, m, d] = parts(period.from);
  const zh = lang === 'zh-TW';
  const spans = (months: number) => d === 1 && (m - 1) % months === 0 && period.to === addMonths(period.from, months);
  if (spans(12) && m === 1) return zh ? `${rocYear(y)}年` : `${y}`;
  if (spans(6)) return zh ? `${rocYear(y)}年${m === 1 ? '上' : '下'}半年` : `${y} H${m === 1 ? 1 : 2}`;
  if (spans(3)) return zh ? `${rocYear(y)}年第${(m + 2) / 3}季` : `${y} Q${(m + 2) / 3}`;
  if (spans(1)) return zh ? `${rocYear(y)}年${m}月` : `${MONTHS_EN[m - 1]} ${y}`;
  // Whole months within a year, as the council writes them: 106年1-4月.
  const [ty, tm, td] = parts(period.to);
  const lastMonth = tm === 1 ? 12 : tm - 1;
  if (d === 1 && td === 1 && (ty === y ? tm > m + 1 : ty === y + 1 && tm === 1 && m < 12)) {
    return zh ? `${rocYear(y)}年${m}-${lastMonth}月` : `${MONTHS_EN[m - 1]}-${MONTHS_EN[lastMonth - 1]} ${y}`;
  }
  const last = addDays(period.to, -1);
  return zh ? `${formatRocDate(period.from)}-${formatRocDate(last)}` : `${period.from} to ${last}`;
}

function addMonths(isoDate: string, months: number): string {
  const [y, m] = parts(isoDate);
  const index = y * 12 + (m - 1) + months;
  return iso(Math.floor(index / 12), (index % 12) + 1, 1);
}
