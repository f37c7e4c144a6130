import { DomainError } from '@hallwatch/core';
import { conversion } from '@hallwatch/domain';

/** value × scale + offset: a point's values in another unit of the same quantity. */
export interface Conversion {
  scale: number;
  offset: number;
}

/** The conversion from a point's unit to the one asked for; none when none is asked or it is the same; refused when impossible. */
export function conversionTo(pointUnit: string, asked: string | undefined): Conversion | null {
  if (asked === undefined || asked === pointUnit) return null;
  const found = conversion(pointUnit, asked);
  if (!found)
    throw new DomainError(
      'invalid-input',
      `unit=${asked}: the point's values are in ${JSON.stringify(pointUnit)}, which does not convert to it`,
    );
  return found;
}

const value = (v: number | null, c: Conversion) => (v === null ? null : v * c.scale + c.offset);
/** Amounts (a register's consumption) convert by scale alone: an offset belongs to levels, not to differences. */
const amount = (v: number | null, c: Conversion) => (v === null ? null : v * c.scale);

export function convertRaw<Row extends { value: number }>(row: Row, c: Conversion): Row {
  return { ...row, value: row.value * c.scale + c.offset };
}

export interface RollupValues {
  count: number;
  sum: number;
  consumption: number | null;
  estimated: number | null;
  mean: number | null;
  twMean: number | null;
  min: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
}

export function convertRollup<Row extends RollupValues>(row: Row, c: Conversion): Row {
  // Σ(v·scale + offset) = scale·Σv + offset·count
  const scaled = c.scale < 0 ? { min: value(row.max, c), max: value(row.min, c) } : { min: value(row.min, c), max: value(row.max, c) };
  return {
    ...row,
    ...scaled,
    sum: row.sum * c.scale + c.offset * row.count,
    consumption: amount(row.consumption, c),
    estimated: amount(row.estimated, c),
    mean: value(row.mean, c),
    twMean: value(row.twMean, c),
    first: value(row.first, c),
    last: value(row.last, c),
  };
}
