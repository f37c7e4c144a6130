import { HaystackDict, HaystackValue } from '@hallwatch/registry';

/**
 * Hayson, the Haystack 4 JSON encoding (docHaystack/Json): scalars as JSON where JSON has them
 * (strings, booleans), the other kinds as objects with `_kind`; a grid as
 * `{ _kind: 'grid', meta: { ver: '3.0' }, cols: [{ name }], rows: [...] }`; numbers without a unit as
 * plain JSON numbers. Chosen over the older
 * JSON v3 encoding ("n:42 kW" strings) because Haystack 4 clients, J2's haystack-core among them,
 * read it natively.
 */
export const HAYSON_MIME_TYPE = 'application/vnd.haystack+json';

export type Hayson = string | number | boolean | { _kind: string; [key: string]: unknown };
export interface HaysonGrid {
  _kind: 'grid';
  meta: Record<string, Hayson>;
  cols: Array<{ name: string }>;
  rows: Array<Record<string, Hayson>>;
}

export function toHayson(value: HaystackValue): Hayson {
  switch (value.kind) {
    case 'marker':
      return { _kind: 'marker' };
    case 'bool':
      return value.val;
    case 'str':
      return value.val;
    case 'number':
      return value.unit ? { _kind: 'number', val: value.val, unit: value.unit } : value.val;
    case 'ref':
      return value.dis === undefined ? { _kind: 'ref', val: value.val } : { _kind: 'ref', val: value.val, dis: value.dis };
    case 'uri':
      return { _kind: 'uri', val: value.val };
    case 'date':
      return { _kind: 'date', val: value.val };
    case 'time':
      return { _kind: 'time', val: value.val };
    case 'dateTime':
      return { _kind: 'dateTime', val: value.val, tz: value.tz };
  }
}

export function dictToHayson(dict: HaystackDict): Record<string, Hayson> {
  return Object.fromEntries(Object.entries(dict).map(([name, value]) => [name, toHayson(value)]));
}

/** A grid of the rows given; its columns are every tag any row has, in the order first seen. */
export function haysonGrid(rows: readonly HaystackDict[], meta: HaystackDict = {}): HaysonGrid {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  return {
    _kind: 'grid',
    meta: { ver: '3.0', ...dictToHayson(meta) },
    cols: [...names].map((name) => ({ name })),
    rows: rows.map(dictToHayson),
  };
}
