/** Columns of one line of a chart: x in epoch ms, y values (null = gap). */
export interface LineColumns {
  xs: readonly number[];
  ys: ReadonlyArray<number | null>;
}

/**
 * Joins lines with different timestamps into uPlot's aligned form: one x column in seconds, and
 * per line a y column. A line's own nulls (gaps) stay null; where only another line has a value
 * it is undefined, which uPlot skips without breaking the line. Inputs must be sorted by x.
 */
export function alignColumns(lines: readonly LineColumns[]): [number[], ...Array<Array<number | null | undefined>>] {
  const xsMs = mergeSorted(lines.map((line) => line.xs));
  const index = new Map<number, number>();
  xsMs.forEach((x, i) => index.set(x, i));
  const ys = lines.map((line) => {
    const column = new Array<number | null | undefined>(xsMs.length).fill(undefined);
    line.xs.forEach((x, i) => {
      column[index.get(x)!] = line.ys[i];
    });
    return column;
  });
  return [xsMs.map((x) => x / 1000), ...ys];
}

function mergeSorted(columns: ReadonlyArray<readonly number[]>): number[] {
  if (columns.length === 1) return [...columns[0]];
  return [...new Set(columns.flat())].sort((a, b) => a - b);
}
