import { z } from 'zod';

/** What the Haystack routes answer: Hayson grids (docHaystack/Json). */

const haysonValue = z
  .union([z.string(), z.number(), z.boolean(), z.object({ _kind: z.string() }).passthrough()])
  .describe('a Hayson value: string, number or boolean as JSON; marker, number with unit, ref, dateTime... as { _kind, ... }');

export const haysonGrid = z.object({
  _kind: z.literal('grid'),
  meta: z.record(haysonValue).describe('ver "3.0"; hisRead adds id, hisStart, hisEnd and, for rollups, hisRollup and hisRollupFold'),
  cols: z.array(z.object({ name: z.string() })),
  rows: z.array(z.record(haysonValue)),
});

const ref = (val: string, dis: string) => ({ _kind: 'ref', val, dis });
const marker = { _kind: 'marker' };
const taipei = (val: string) => ({ _kind: 'dateTime', val, tz: 'Taipei' });

export const ABOUT_EXAMPLE = {
  _kind: 'grid',
  meta: { ver: '3.0' },
  cols: ['haystackVersion', 'serverName', 'serverTime', 'serverBootTime', 'productName', 'productVersion', 'vendorName', 'tz'].map(
    (name) => ({ name }),
  ),
  rows: [
    {
      haystackVersion: '4.0',
      serverName: 'Hallwatch',
      serverTime: { _kind: 'dateTime', val: '2025-03-09T00:30:00.000Z', tz: 'UTC' },
      serverBootTime: { _kind: 'dateTime', val: '2025-03-08T22:00:00.000Z', tz: 'UTC' },
      productName: 'Hallwatch',
      productVersion: '1',
      vendorName: 'Hallwatch',
      tz: 'UTC',
    },
  ],
};

export const READ_EXAMPLE = {
  _kind: 'grid',
  meta: { ver: '3.0' },
  cols: ['id', 'dis', 'elec', 'meter', 'main', 'siteMeter', 'equip', 'siteRef'].map((name) => ({ name })),
  rows: [
    {
      id: ref('demo-city-hall.main-incomer', 'Main incomer'),
      dis: 'Main incomer',
      elec: marker,
      meter: marker,
      main: marker,
      siteMeter: marker,
      equip: marker,
      siteRef: ref('demo-city-hall', 'Demo City Hall'),
    },
  ],
};

export const HIS_READ_EXAMPLE = {
  _kind: 'grid',
  meta: {
    ver: '3.0',
    id: { _kind: 'ref', val: 'demo-city-hall.main-incomer.kW' },
    hisStart: taipei('2025-03-09T00:00:00+08:00'),
    hisEnd: taipei('2025-03-10T00:00:00+08:00'),
  },
  cols: [{ name: 'ts' }, { name: 'val' }],
  rows: [
    { ts: taipei('2025-03-09T08:00:00+08:00'), val: { _kind: 'number', val: 412.5, unit: 'kW' } },
    { ts: taipei('2025-03-09T08:01:00+08:00'), val: { _kind: 'number', val: 415, unit: 'kW' } },
  ],
};

export const OPS_EXAMPLE = {
  _kind: 'grid',
  meta: { ver: '3.0' },
  cols: [{ name: 'name' }, { name: 'summary' }],
  rows: [
    { name: 'about', summary: 'Summary information for server' },
    { name: 'read', summary: 'Read entity records in database' },
  ],
};

export const FORMATS_EXAMPLE = {
  _kind: 'grid',
  meta: { ver: '3.0' },
  cols: [{ name: 'mime' }, { name: 'receive' }, { name: 'send' }],
  rows: [
    { mime: 'application/vnd.haystack+json', receive: marker, send: marker },
    { mime: 'text/zinc', receive: marker },
  ],
};
