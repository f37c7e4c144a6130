import { DomainError } from '@hallwatch/core';
import { HaystackRequestRow } from './haystack.schemas';

/**
 * The Zinc a Haystack client POSTs as an op's request grid (docHaystack/Zinc), read as far as
 * read and hisRead need: a `ver:"3.0"` line, a line of column names, then rows of scalars
 * (strings, refs with an optional display name, numbers with an optional unit, markers, booleans
 * and nulls). Grid and column meta, lists, dicts and nested grids are refused with a 400.
 */
export const MAX_ZINC_REQUEST_CHARS = 16_384;
const MAX_ZINC_ROWS = 100;

const NAME = /^[a-z][a-zA-Z0-9_]*$/;
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

export function readZincRequest(text: string): HaystackRequestRow[] {
  if (text.length > MAX_ZINC_REQUEST_CHARS) throw invalid(`longer than ${MAX_ZINC_REQUEST_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw invalid('a control character (NUL, ...) outside a string escape');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [header, columns, ...rows] = lines;
  if (!header || !/^ver:"3\.0"\s*$/.test(header)) throw invalid('the first line must be ver:"3.0" (grid meta is not read)');
  if (!columns) throw invalid('no column names');
  const names = columns.split(',').map((name) => name.trim());
  for (const name of names) if (!NAME.test(name)) throw invalid(`"${name.slice(0, 40)}" is not a column name (column meta is not read)`);
  if (rows.length > MAX_ZINC_ROWS) throw invalid(`more than ${MAX_ZINC_ROWS} rows`);
  return rows.map((line, index) => {
    const cells = readCells(line, index + 1);
    if (cells.length !== names.length) throw invalid(`row ${index + 1} has ${cells.length} cells for ${names.length} columns`);
    const row: HaystackRequestRow = {};
    names.forEach((name, column) => {
      const cell = cells[column];
      if (cell !== null) row[name] = cell;
    });
    return row;
  });
}

type Cell = HaystackRequestRow[string] | null;

function readCells(line: string, row: number): Cell[] {
  const cells: Cell[] = [];
  let at = 0;
  for (;;) {
    while (line[at] === ' ') at += 1;
    const [cell, end] = readScalar(line, at, row);
    cells.push(cell);
    at = end;
    while (line[at] === ' ') at += 1;
    if (at >= line.length) return cells;
    if (line[at] !== ',') throw invalid(`row ${row}: unexpected "${line[at]}" at character ${at + 1}`);
    at += 1;
  }
}

const REF = /@([a-zA-Z0-9_:\-.~]+)/y;
const NUMBER = /(-?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)([a-zA-Z%_/$\u0080-\uffff]+)?/y;

function readScalar(line: string, at: number, row: number): [Cell, number] {
  const char = line[at];
  if (at >= line.length || char === ',') return [null, at];
  if (char === '"') {
    const [val, end] = readString(line, at, row);
    return [val, end];
  }
  if (char === '@') {
    REF.lastIndex = at;
    const match = REF.exec(line);
    if (!match) throw invalid(`row ${row}: a ref needs characters after @`);
    let end = at + match[0].length;
    let dis: string | undefined;
    if (line[end] === ' ' && line[end + 1] === '"') [dis, end] = readString(line, end + 1, row);
    return [{ _kind: 'ref', val: match[1], ...(dis === undefined ? {} : { dis }) }, end];
  }
  for (const [word, value] of [
    ['N', null],
    ['M', { _kind: 'marker' }],
    ['T', true],
    ['F', false],
  ] as const) {
    if (line.startsWith(word, at) && !/[A-Za-z0-9_]/.test(line[at + 1] ?? '')) return [value, at + 1];
  }
  NUMBER.lastIndex = at;
  const number = NUMBER.exec(line);
  if (number) {
    const val = Number(number[1].replace(/_/g, ''));
    if (!Number.isFinite(val)) throw invalid(`row ${row}: number out of range`);
    return [number[2] ? { _kind: 'number', val, unit: number[2] } : val, at + number[0].length];
  }
  throw invalid(`row ${row}: only strings, refs, numbers, markers, booleans and nulls are read (at character ${at + 1})`);
}

function readString(line: string, start: number, row: number): [string, number] {
  let val = '';
  let at = start + 1;
  while (at < line.length) {
    const char = line[at];
    if (char === '"') return [val, at + 1];
    if (char !== '\\') {
      val += char;
      at += 1;
      continue;
    }
    const next = line[at + 1];
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(line.slice(at + 2, at + 6))) {
      val += String.fromCharCode(parseInt(line.slice(at + 2, at + 6), 16));
      at += 6;
    } else if (next !== undefined && next in ESCAPES) {
      val += ESCAPES[next];
      at += 2;
    } else {
      throw invalid(`row ${row}: invalid escape in a string`);
    }
  }
  throw invalid(`row ${row}: unterminated string`);
}

function invalid(reason: string): DomainError {
  return new DomainError('invalid-input', `request grid (Zinc): ${reason}`);
}
