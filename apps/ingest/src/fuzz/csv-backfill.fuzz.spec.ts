import fc from 'fast-check';
import { KEY_PATTERN, POINT_KEY_PATTERN } from '@hallwatch/domain';
import { backfillMessages, MAX_MESSAGE_BYTES, ParsedCsv, parseBackfillCsv } from '../backfill/csv-backfill';
import { parseNativeV1 } from '../native-v1.parser';
import { isStorableNumber, MAX_POINT_KEY_CHARS } from '../parse-result';
import { DEEP_JSON, expectNoPollution, FUZZ_RUNS, FUZZ_SEED, HUGE_KEY, LIMITS, MAX_DETAIL_CHARS, NOW, TRICKY_KEYS } from './fuzz-checks';

const KEY = fc.stringMatching(/^[a-z0-9-]{1,16}$/);
const POINT = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
);
const TIME = fc.integer({ min: Date.parse('2001-09-09T01:46:40Z') /* 10 digits */, max: NOW });
const VALUE = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()).map((value) => value + 0);

function timeText(ts: number, form: number): string {
  if (form === 0) return String(ts);
  const offset = form === 1 ? 0 : 8 * 60;
  const iso = new Date(ts + offset * 60_000).toISOString();
  return form === 1 ? iso : iso.replace('Z', '+08:00');
}

const readingRow = fc.record({
  site: KEY,
  asset: KEY,
  point: POINT,
  ts: TIME,
  form: fc.integer({ min: 0, max: 2 }),
  value: VALUE,
  quoted: fc.boolean(),
});
type ReadingRow = typeof readingRow extends fc.Arbitrary<infer T> ? T : never;

const readingsFile = fc.record({
  siteColumn: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  comment: fc.boolean(),
  rows: fc.array(readingRow, { minLength: 1, maxLength: 30 }),
});
type ReadingsFile = typeof readingsFile extends fc.Arbitrary<infer T> ? T : never;

const DEFAULT_SITE = 'demo-hall';

function cellsOf(file: ReadingsFile, row: ReadingRow): string[] {
  const value = row.quoted ? `"${row.value}"` : String(row.value);
  return [...(file.siteColumn ? [row.site] : []), row.asset, row.point, timeText(row.ts, row.form), value];
}

/** The file's lines; `lineOfRow[i]` is the 1-based line of row i. */
function linesOf(file: ReadingsFile, cells: string[][] = file.rows.map((row) => cellsOf(file, row))) {
  const lines = [...(file.comment ? ['# exported from the old BMS', ''] : []), `${file.siteColumn ? 'site,' : ''}asset,point,ts,value`];
  const lineOfRow = cells.map((row) => lines.push(row.join(',')));
  return { lines, lineOfRow };
}

function textOf(file: ReadingsFile, lines: string[]): string {
  return (file.bom ? '\uFEFF' : '') + lines.join(file.crlf ? '\r\n' : '\n');
}

function expectWellFormedCsv(parsed: ParsedCsv, lineCount: number): void {
  expectNoPollution();
  for (const { line, problem } of parsed.problems) {
    if (!Number.isInteger(line) || line < 1 || line > Math.max(lineCount, 1)) throw new Error(`problem on line ${line} of ${lineCount}`);
    if (typeof problem !== 'string' || problem === '') throw new Error(`line ${line}: a problem without a text`);
    if (problem.length > MAX_DETAIL_CHARS || problem.includes('\u0000'))
      throw new Error(`line ${line}: a problem of ${problem.length} characters`);
  }
  for (const row of parsed.rows) {
    const where = JSON.stringify(row);
    if (
      !KEY_PATTERN.test(row.site) ||
      !KEY_PATTERN.test(row.asset) ||
      !POINT_KEY_PATTERN.test(row.point) ||
      row.point.length > MAX_POINT_KEY_CHARS
    )
      throw new Error(`bad key in ${where}`);
    if (!Number.isFinite(row.value) || !Number.isFinite(row.ts)) throw new Error(`not finite: ${where}`);
  }
}

/** Cells that make a row unreadable, by column. */
const BAD_CELL = {
  key: fc.constantFrom('', 'Main Incomer', 'MAIN', 'a_b', '大樓', 'a/b', '__proto__'),
  point: fc.constantFrom('', 'k W', '溫度', 'a/b', '🔥', '"'),
  ts: fc.constantFrom(
    '',
    '2015-03-01 00:00',
    'yesterday',
    '123',
    '2015-03-01T00:00:00',
    '2015-13-45T00:00:00+08:00',
    'NaN',
    '1e12',
    '-1425139200000',
  ),
  value: fc.constantFrom('', 'NaN', 'Infinity', '-Infinity', 'n/a', '1e400', '12kW', '1,5', '"', 'null'),
};

const tally = { tried: 0, rows: 0, problems: 0 };

function parsed(text: string, options: { site?: string; registerStart?: number }, lineCount: number): ParsedCsv {
  const result = parseBackfillCsv(text, options);
  expectWellFormedCsv(result, lineCount);
  tally.tried++;
  tally.rows += result.rows.length;
  tally.problems += result.problems.length;
  return result;
}

describe('CSV back-fill parser under fuzzing', () => {
  afterAll(() =>
    process.stdout.write(`fuzz csv-backfill: tried ${tally.tried}, rows ${tally.rows}, problems ${tally.problems}, crashes 0\n`),
  );

  it('reads every row of a valid readings file, as written', () => {
    fc.assert(
      fc.property(readingsFile, (file) => {
        const { lines } = linesOf(file);
        const result = parsed(textOf(file, lines), { site: DEFAULT_SITE }, lines.length);
        expect(result.problems).toEqual([]);
        expect(result.layout).toBe('readings');
        expect(result.rows).toEqual(
          file.rows.map((row) => ({
            site: file.siteColumn ? row.site : DEFAULT_SITE,
            asset: row.asset,
            point: row.point,
            ts: row.ts,
            value: row.value,
          })),
        );
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('names the line of a row with one bad cell, and keeps every other row', () => {
    const mutation = fc.oneof(
      fc.tuple(fc.constant('asset' as const), BAD_CELL.key),
      fc.tuple(fc.constant('point' as const), BAD_CELL.point),
      fc.tuple(fc.constant('ts' as const), BAD_CELL.ts),
      fc.tuple(fc.constant('value' as const), BAD_CELL.value),
      fc.tuple(fc.constant('drop' as const), fc.constant('')),
      fc.tuple(fc.constant('extra' as const), fc.string({ maxLength: 5 })),
    );
    fc.assert(
      fc.property(readingsFile, fc.nat(), mutation, (file, pick, [column, cell]) => {
        const bad = pick % file.rows.length;
        const cells = file.rows.map((row) => cellsOf(file, row));
        const at = (file.siteColumn ? 1 : 0) + ['asset', 'point', 'ts', 'value'].indexOf(column);
        if (column === 'drop') cells[bad].pop();
        else if (column === 'extra') cells[bad].push(cell);
        else cells[bad][at] = cell;
        const { lines, lineOfRow } = linesOf(file, cells);
        const result = parsed(textOf(file, lines), { site: DEFAULT_SITE }, lines.length);
        expect(result.problems.map((problem) => problem.line)).toEqual([lineOfRow[bad]]);
        expect(result.rows).toHaveLength(file.rows.length - 1);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('turns valid intervals into a register that adds up, for any order of the rows', () => {
    const intervals = fc.record({
      asset: KEY,
      point: POINT,
      start: TIME,
      registerStart: fc.double({ min: 0, max: 1e9, noNaN: true }),
      steps: fc.array(fc.record({ gapMinutes: fc.constantFrom(0, 0, 0, 15, 60), amount: fc.double({ min: 0, max: 1e6, noNaN: true }) }), {
        minLength: 1,
        maxLength: 40,
      }),
      order: fc.func(fc.integer()),
    });
    fc.assert(
      fc.property(intervals, ({ asset, point, start, registerStart, steps, order }) => {
        let from = start;
        const rows = steps.map(({ gapMinutes, amount }) => {
          from += gapMinutes * 60_000;
          const row = { from, to: from + 15 * 60_000, amount };
          from = row.to;
          return row;
        });
        const shuffled = [...rows].sort((a, b) => order(a.from) - order(b.from));
        const lines = ['asset,point,start,end,value', ...shuffled.map((row) => [asset, point, row.from, row.to, row.amount].join(','))];
        const result = parsed(lines.join('\n'), { site: DEFAULT_SITE, registerStart }, lines.length);
        expect(result.problems).toEqual([]);
        expect(result.layout).toBe('intervals');
        const gaps = steps.filter((step, i) => i > 0 && step.gapMinutes > 0).length;
        expect(result.rows).toHaveLength(1 + steps.length + gaps);
        const total = steps.reduce((sum, step) => sum + step.amount, registerStart);
        expect(result.rows.at(-1)!.value).toBeCloseTo(total, 3);
        // read at the last interval's end: a register step is consumption over (t0, t1]
        expect(result.rows.at(-1)!.ts).toBe(rows.at(-1)!.to);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS / 4 },
    );
  });

  it('refuses interval amounts whose register would overflow, instead of storing Infinity', () => {
    const lines = ['asset,point,start,end,value', 'm,kWh,1425139200000,1425140100000,1e308', 'm,kWh,1425140100000,1425141000000,1e308'];
    const result = parsed(lines.join('\n'), { site: DEFAULT_SITE }, lines.length);
    expect(result.rows.map((row) => row.value)).toEqual([0, 1e308]);
    expect(result.problems).toEqual([{ line: 3, problem: expect.stringContaining('overflow') }]);
  });

  it('accounts for every line of a file with huge, deep, NUL and unicode cells, and ingest reads back every row it keeps', () => {
    const hostileCell = fc.oneof(
      HUGE_KEY,
      DEEP_JSON,
      fc.integer({ min: 1, max: 200_000 }).map((length) => '9'.repeat(length)),
      fc.stringMatching(new RegExp(`^[A-Za-z0-9_.-]{200,${MAX_POINT_KEY_CHARS + 20}}$`)),
      fc.string({ unit: 'binary', maxLength: 30 }).map((text) => text.replace(/[,\r\n]/g, '')),
      fc.constantFrom('\u0000', 'kW\u0000', '溫度', '🔥', '\ud800', '"', '""'),
    );
    const file = fc.array(fc.tuple(readingRow, fc.option(fc.tuple(fc.integer({ min: 0, max: 3 }), hostileCell), { nil: undefined })), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(file, (rows) => {
        const fileShape = { siteColumn: false, crlf: false, bom: false, comment: false, rows: rows.map(([row]) => row) };
        const cells = rows.map(([row, hostile]) => {
          const line = cellsOf(fileShape, row);
          if (hostile) line[hostile[0]] = hostile[1];
          return line;
        });
        const { lines } = linesOf(fileShape, cells);
        const result = parsed(lines.join('\n'), { site: DEFAULT_SITE }, lines.length);
        // Every data line is a row or a problem, never both, never neither.
        expect(result.rows.length + result.problems.length).toBe(rows.length);
        const messages = backfillMessages(result.rows, LIMITS.topicPrefix);
        const read: string[] = [];
        const refused: string[] = [];
        for (const message of messages) {
          expect(Buffer.byteLength(message.payload)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
          // History is older than live readings may be: the ingest limits of a back-fill's age aside.
          const ingested = parseNativeV1(message.topic, Buffer.from(message.payload), NOW, { ...LIMITS, maxAgeMs: NOW });
          read.push(...ingested.readings.map((reading) => `${reading.asset}/${reading.point}@${reading.ts}`));
          refused.push(...ingested.rejections.map((rejection) => rejection.reason));
        }
        // A later row of the same point and time replaces an earlier one; a number the rollups cannot sum is ingest's bad-value.
        const last = new Map(result.rows.map((row) => [`${row.asset}/${row.point}@${row.ts}`, row.value]));
        const storable = [...last].filter(([, value]) => isStorableNumber(value)).map(([key]) => key);
        expect(read.sort()).toEqual(storable.sort());
        expect(refused).toEqual(Array<string>(last.size - storable.length).fill('bad-value'));
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS / 4 },
    );
  });

  it('never throws on random text, random cells or random intervals', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      KEY,
      TIME.map(String),
      VALUE.map(String),
      fc.constantFrom('1e308', '-1e308', '0', '99999999999999', '0000000000'),
    );
    const header = fc.constantFrom(
      'asset,point,ts,value',
      'site,asset,point,ts,value',
      'asset,point,start,end,value',
      'site,asset,point,start,end,value',
      'ASSET,Point,TS,Value',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .tuple(header, fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r'))
        .map(([head, rows, eol]) => [head, ...rows.map((row) => row.join(','))].join(eol)),
    );
    fc.assert(
      fc.property(text, fc.option(fc.oneof(KEY, fc.string({ maxLength: 8 })), { nil: undefined }), (csv, site) => {
        parsed(csv, { site, registerStart: 0 }, csv.split(/\r?\n/).length);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });
});
