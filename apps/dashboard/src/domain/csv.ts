import { localIso, type Bucket } from '@hallwatch/domain';
import type { SeriesRow } from './live-series';

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; CRLF line ends. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const line = (fields: ReadonlyArray<string | number | null>) => fields.map(field).join(',');
  return [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type CsvColumn = 'time' | 'bucketStart' | 'value' | 'mean' | 'min' | 'max' | 'count';

/**
 * A chart's rows as CSV: raw values, or each bucket's mean, min, max and count, with times in the
 * site's zone as ISO 8601 with their offset (2025-07-01T10:05:00+08:00: readable and unambiguous) and
 * the unit in the headers. `label` names the columns in the reader's language.
 */
export function trendCsv(
  rows: readonly SeriesRow[],
  bucket: Bucket,
  unit: string,
  zone: string,
  label: (column: CsvColumn) => string,
): string {
  const withUnit = (column: CsvColumn) => (unit ? `${label(column)} (${unit})` : label(column));
  if (bucket === 'raw')
    return toCsv(
      [label('time'), withUnit('value')],
      rows.map((row) => [localIso(row.ts, zone), row.value]),
    );
  return toCsv(
    [label('bucketStart'), withUnit('mean'), withUnit('min'), withUnit('max'), label('count')],
    rows.map((row) => [localIso(row.ts, zone), row.value, row.min, row.max, row.count]),
  );
}
