import { HaysonVal, HDateTime, HDict, HGrid, HNum, HRef, HStr, HVal, makeValue } from 'haystack-core';
import { ApiModule } from '@hallwatch/api';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp } from '@hallwatch/testing';

const EAST = 'east-hall';
const WEST = 'west-hall';

/** Two small sites tagged the Haystack way; every expected entity list below is worked out from these. */
function sites(): SiteDefinition[] {
  const gauge = (key: string, unit: string, tags: string[]) => ({ key, kind: 'gauge' as const, unit, tags, attributes: {} });
  const asset = (key: string, name: string, type: string, tags: string[], points: SiteDefinition['assets'][number]['points']) => ({
    key,
    name,
    type,
    tags,
    attributes: {},
    points,
  });
  return [
    {
      key: EAST,
      name: '東區市政大樓',
      timezone: 'Asia/Taipei',
      attributes: {},
      opcua: [],
      assets: [
        asset(
          'main-incomer',
          'Main incomer',
          'electricity-meter',
          ['elec', 'meter', 'siteMeter', 'main'],
          [gauge('kW', 'kW', ['elec', 'power']), { key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: ['elec', 'energy'], attributes: {} }],
        ),
        asset(
          'chiller-1',
          'Chiller 1',
          'chiller',
          ['chiller', 'hvac', 'equip'],
          [
            gauge('kW', 'kW', ['elec', 'power']),
            gauge('chwsT', '°C', ['chilled', 'water', 'leaving', 'temp']),
            { key: 'running', kind: 'status', unit: '', tags: ['run'], attributes: {} },
          ],
        ),
        asset(
          'weather',
          'Weather station',
          'weather-station',
          ['weatherStation', 'night-base'],
          [gauge('outdoorT', '°C', ['outside', 'air', 'temp', 'sensor'])],
        ),
      ],
    },
    {
      key: WEST,
      name: 'West hall',
      timezone: 'America/New_York',
      attributes: {},
      opcua: [],
      assets: [
        asset('main-incomer', 'Main incomer', 'electricity-meter', ['elec', 'meter', 'siteMeter'], [gauge('kW', 'kW', ['elec', 'power'])]),
        asset('chiller-1', 'Chiller 1', 'chiller', ['chiller'], [gauge('kW', 'kW', ['elec', 'power'])]),
      ],
    },
  ];
}

/** Taipei wall-clock time (UTC+8, no daylight saving) as epoch ms. */
const taipei = (local: string) => Date.parse(`${local}+08:00`);

describe('Haystack read-only HTTP API (#18 item 8)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let eastToken: string;

  const call = async (method: string, path: string, init: { body?: string; type?: string; token?: string } = {}) => {
    const response = await fetch(`${running.baseUrl}/api/v1/haystack/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${init.token ?? env.HALLWATCH_API_TOKEN}`,
        accept: 'application/vnd.haystack+json',
        ...(init.type ? { 'content-type': init.type } : {}),
      },
      body: init.body,
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) as Record<string, unknown> };
  };
  const ids = (grid: Record<string, unknown>) => (grid.rows as Array<{ id: { val: string } }>).map((row) => row.id.val);
  const readIds = async (filter: string, token?: string) => {
    const answer = await call('GET', `read?filter=${encodeURIComponent(filter)}`, { token });
    expect(answer.status).toBe(200);
    return ids(answer.body);
  };
  /**
   * An op the way a Haystack client sends it (J2 Innovations' haystack-nclient does this; it does
   * not load on Node 20): the request grid encoded as Zinc by haystack-core, the Hayson answer
   * decoded by it.
   */
  const haystackOp = async (op: string, request: Record<string, HVal | string> | null, token = env.HALLWATCH_API_TOKEN): Promise<HGrid> => {
    const response = await fetch(`${running.baseUrl}/api/v1/haystack/${op}`, {
      method: request ? 'POST' : 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'text/zinc,application/vnd.haystack+json',
        ...(request ? { 'content-type': 'text/zinc' } : {}),
      },
      body: request ? HDict.make(request).toGrid().toZinc() : undefined,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/vnd.haystack+json');
    return makeValue((await response.json()) as HaysonVal) as HGrid;
  };
  const refIds = (grid: HGrid) => grid.getRows().map((row) => (row.get('id') as HRef).value);

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv(sites(), { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    const created = await fetch(`${running.baseUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'east viewer', role: 'viewer', sites: [EAST] }),
    });
    eastToken = ((await created.json()) as { token: string }).token;

    const registry = running.app.get(RegistryRepository);
    const kW = (await registry.findPointAddress(EAST, 'main-incomer', 'kW'))!.pointId;
    const running_ = (await registry.findPointAddress(EAST, 'chiller-1', 'running'))!.pointId;
    await running.app.get(ReadingRepository).insertBatch([
      { pointId: kW, ts: taipei('2025-03-09T08:00:00'), value: 100, flags: 0 },
      { pointId: kW, ts: taipei('2025-03-09T08:15:00'), value: 110, flags: 0 },
      { pointId: kW, ts: taipei('2025-03-09T08:30:00'), value: 130.5, flags: 0 },
      { pointId: kW, ts: taipei('2025-03-10T00:00:00'), value: 999, flags: 0 },
      { pointId: running_, ts: taipei('2025-03-09T08:00:00'), value: 1, flags: 0 },
      { pointId: running_, ts: taipei('2025-03-09T08:20:00'), value: 0, flags: 0 },
    ]);
    await running.app.get(RollupRefresher).drain();
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('answers about, ops and formats in Hayson, to a Haystack client library too', async () => {
    const answer = await call('GET', 'about');
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('application/vnd.haystack+json');
    expect(answer.body).toMatchObject({ _kind: 'grid', meta: { ver: '3.0' } });
    expect((answer.body.rows as unknown[])[0]).toMatchObject({ haystackVersion: '4.0', productName: 'Hallwatch' });
    expect((await haystackOp('ops', null)).getRows().map((row) => row.get('name')?.toString())).toEqual([
      'about',
      'ops',
      'formats',
      'read',
      'hisRead',
    ]);
    const formats = await haystackOp('formats', null);
    expect(formats.getRows().map((row) => [row.get('mime')?.toString(), row.has('receive'), row.has('send')])).toEqual([
      ['application/vnd.haystack+json', true, true],
      ['application/json', true, true],
      ['text/zinc', true, false],
    ]);
    const about = await haystackOp('about', null);
    expect(about.first?.get('serverName')?.toString()).toBe('Hallwatch');
    expect(about.first?.get('serverTime')).toBeInstanceOf(HDateTime);
  });

  it.each([
    ['site', [EAST, WEST]],
    ['elec and meter and siteMeter', [`${EAST}.main-incomer`, `${WEST}.main-incomer`]],
    ['point and outside and air and temp', [`${EAST}.weather.outdoorT`]],
    ['equip and chiller', [`${EAST}.chiller-1`, `${WEST}.chiller-1`]],
    ['point and equipRef->chiller and siteRef->tz == "New_York"', [`${WEST}.chiller-1.kW`]],
    ['equip and not chiller and siteRef == @east-hall', [`${EAST}.main-incomer`, `${EAST}.weather`]],
    ['point and kind == "Bool"', [`${EAST}.chiller-1.running`]],
    ['point and unit == "kWh" or site and tz == "Taipei"', [EAST, `${EAST}.main-incomer.kWh`]],
    ['point and his and hisTotalized', [`${EAST}.main-incomer.kWh`]],
    ['point and siteRef->dis == "東區市政大樓" and equipRef->siteMeter and power', [`${EAST}.main-incomer.kW`]],
    // Registry tags that are no Haystack names (night-base) are not exported; structural tags are not overridden.
    ['nightBase or night', []],
    ['dis == "東區 ☀"', []],
  ])('reads %s', async (filter, expected) => {
    expect(await readIds(filter)).toEqual(expected);
    // haystack-core's own filter evaluator, over every entity, agrees.
    const everything = await haystackOp('read', { filter: 'id' });
    expect(refIds(everything.filter(filter))).toEqual(expected);
  });

  it('describes a point with the tags Haystack tools look for', async () => {
    const answer = await call('GET', `read?filter=${encodeURIComponent('id == @east-hall.chiller-1.chwsT')}`);
    expect(answer.body.rows).toEqual([
      {
        id: { _kind: 'ref', val: `${EAST}.chiller-1.chwsT`, dis: 'Chiller 1 chwsT' },
        dis: 'Chiller 1 chwsT',
        chilled: { _kind: 'marker' },
        water: { _kind: 'marker' },
        leaving: { _kind: 'marker' },
        temp: { _kind: 'marker' },
        point: { _kind: 'marker' },
        his: { _kind: 'marker' },
        kind: 'Number',
        sensor: { _kind: 'marker' },
        unit: '°C',
        equipRef: { _kind: 'ref', val: `${EAST}.chiller-1`, dis: 'Chiller 1' },
        siteRef: { _kind: 'ref', val: EAST, dis: '東區市政大樓' },
        tz: 'Taipei',
      },
    ]);
  });

  it('reads by filter with a limit, with a POSTed grid in Hayson or Zinc, and through a Haystack client', async () => {
    expect(ids((await call('GET', 'read?filter=point&limit=2')).body)).toEqual([`${EAST}.chiller-1.chwsT`, `${EAST}.chiller-1.kW`]);
    const hayson = { _kind: 'grid', meta: { ver: '3.0' }, cols: [{ name: 'filter' }], rows: [{ filter: 'siteMeter' }] };
    const byJson = await call('POST', 'read', { body: JSON.stringify(hayson), type: 'application/json' });
    expect(ids(byJson.body)).toEqual([`${EAST}.main-incomer`, `${WEST}.main-incomer`]);
    const byHayson = await call('POST', 'read', { body: JSON.stringify(hayson), type: 'application/vnd.haystack+json' });
    expect(ids(byHayson.body)).toEqual([`${EAST}.main-incomer`, `${WEST}.main-incomer`]);
    const zinc = 'ver:"3.0"\nfilter,limit\n"equip and siteRef->dis == \\"West hall\\"",1\n';
    expect(ids((await call('POST', 'read', { body: zinc, type: 'text/zinc' })).body)).toEqual([`${WEST}.chiller-1`]);

    const grid = await haystackOp('read', { filter: 'chiller and equip' });
    expect(refIds(grid)).toEqual([`${EAST}.chiller-1`, `${WEST}.chiller-1`]);
    expect((grid.first!.get('siteRef') as HRef).dis).toBe('東區市政大樓');
  });

  it('serves raw readings of a day in the site time zone, with exact values', async () => {
    const answer = await call('GET', `hisRead?id=@${EAST}.main-incomer.kW&range=2025-03-09`);
    expect(answer.status).toBe(200);
    expect(answer.body.meta).toEqual({
      ver: '3.0',
      id: { _kind: 'ref', val: `${EAST}.main-incomer.kW` },
      hisStart: { _kind: 'dateTime', val: '2025-03-09T00:00:00+08:00', tz: 'Taipei' },
      hisEnd: { _kind: 'dateTime', val: '2025-03-10T00:00:00+08:00', tz: 'Taipei' },
    });
    const at = (val: string) => ({ _kind: 'dateTime', val, tz: 'Taipei' });
    const kW = (val: number) => ({ _kind: 'number', val, unit: 'kW' });
    // The reading at the next midnight belongs to the next day.
    expect(answer.body.rows).toEqual([
      { ts: at('2025-03-09T08:00:00+08:00'), val: kW(100) },
      { ts: at('2025-03-09T08:15:00+08:00'), val: kW(110) },
      { ts: at('2025-03-09T08:30:00+08:00'), val: kW(130.5) },
    ]);
    // dateTime,dateTime: start included, end excluded.
    const window = await call(
      'GET',
      `hisRead?id=${EAST}.main-incomer.kW&range=${encodeURIComponent('2025-03-09T08:10:00+08:00 Taipei,2025-03-09T08:30:00+08:00 Taipei')}`,
    );
    expect(window.body.rows).toEqual([{ ts: at('2025-03-09T08:15:00+08:00'), val: kW(110) }]);
    // A status point reads as Bool.
    const status = await call('GET', `hisRead?id=${EAST}.chiller-1.running&range=2025-03-09`);
    expect(status.body.rows).toEqual([
      { ts: at('2025-03-09T08:00:00+08:00'), val: true },
      { ts: at('2025-03-09T08:20:00+08:00'), val: false },
    ]);
  });

  it('serves hourly and daily rollups for long ranges: time-weighted means by hand', async () => {
    const at = (val: string) => ({ _kind: 'dateTime', val, tz: 'Taipei' });
    const kW = (val: number) => ({ _kind: 'number', val, unit: 'kW' });
    // 08:00-09:00: 100 for 15 min, 110 for 15 min, 130.5 for 30 min = 7065/60 = 117.75;
    // 09:00-10:00: 130.5 held until 09:30 (a reading holds at most an hour); 03-10 00:00: 999 held an hour.
    const hourly = await call('GET', `hisRead?id=${EAST}.main-incomer.kW&range=2025-03-01,2025-03-20`);
    expect(hourly.body.meta).toMatchObject({ hisRollup: '1h', hisRollupFold: 'mean' });
    expect(hourly.body.rows).toEqual([
      { ts: at('2025-03-09T08:00:00+08:00'), val: kW(117.75) },
      { ts: at('2025-03-09T09:00:00+08:00'), val: kW(130.5) },
      { ts: at('2025-03-10T00:00:00+08:00'), val: kW(999) },
    ]);
    // 03-09: (100·900 + 110·900 + 130.5·3600) / 5400 s = 122.
    const daily = await call('GET', `hisRead?id=${EAST}.main-incomer.kW&range=2025-01-01,2025-06-30`);
    expect(daily.body.meta).toMatchObject({ hisRollup: '1d', hisRollupFold: 'mean' });
    expect(daily.body.rows).toEqual([
      { ts: at('2025-03-09T00:00:00+08:00'), val: kW(122) },
      { ts: at('2025-03-10T00:00:00+08:00'), val: kW(999) },
    ]);
    // The same through the Haystack library, with a POSTed Zinc grid.
    const grid = await haystackOp('hisRead', { id: HRef.make(`${EAST}.main-incomer.kW`), range: HStr.make('2025-03-09') });
    expect(grid.getRows().map((row) => [(row.get('ts') as HDateTime).toZinc(), (row.get('val') as HNum).value])).toEqual([
      ['2025-03-09T08:00:00+08:00 Taipei', 100],
      ['2025-03-09T08:15:00+08:00 Taipei', 110],
      ['2025-03-09T08:30:00+08:00 Taipei', 130.5],
    ]);
  });

  it("shows a site-scoped token only its sites' entities and refuses another site's history", async () => {
    expect(await readIds('site', eastToken)).toEqual([EAST]);
    // Without a filter: every entity of the caller's sites.
    const everything = await call('GET', 'read', { token: eastToken });
    expect(ids(everything.body).filter((id) => !id.startsWith(`${EAST}`))).toEqual([]);
    expect(ids(everything.body)).toHaveLength(1 + 3 + 6);
    expect(await readIds('siteMeter', eastToken)).toEqual([`${EAST}.main-incomer`]);
    expect(await readIds('point and siteRef->tz == "New_York"', eastToken)).toEqual([]);
    const refused = await call('GET', `hisRead?id=${WEST}.main-incomer.kW&range=today`, { token: eastToken });
    expect(refused.status).toBe(403);
    expect((await call('GET', `hisRead?id=${EAST}.main-incomer.kW&range=2025-03-09`, { token: eastToken })).status).toBe(200);
    expect(refIds(await haystackOp('read', { filter: 'equip' }, eastToken))).toEqual([
      `${EAST}.chiller-1`,
      `${EAST}.main-incomer`,
      `${EAST}.weather`,
    ]);
    expect((await call('GET', 'about', { token: 'not-a-token' })).status).toBe(401);
  });

  const kWPoint = `${EAST}.main-incomer.kW`;
  it.each([
    ['a filter that stops short', 'GET', `read?filter=${encodeURIComponent('site and')}`, 400, 'expected a tag name'],
    ['a filter with =', 'GET', `read?filter=${encodeURIComponent('dis = "x"')}`, 400, 'unexpected "="'],
    ['a NUL in the filter', 'GET', 'read?filter=site%00', 400, 'NUL'],
    ['a filter nested 40 deep', 'GET', `read?filter=${'('.repeat(40)}site${')'.repeat(40)}`, 400, 'nested deeper than 32'],
    ['a filter of 5,000 characters', 'GET', `read?filter=${'site or '.repeat(625)}site`, 400, 'filter'],
    ['a filter in Chinese', 'GET', `read?filter=${encodeURIComponent('站點')}`, 400, 'unexpected "站"'],
    ['an empty filter', 'GET', 'read?filter=', 400, 'filter'],
    ['a limit of 0', 'GET', 'read?filter=site&limit=0', 400, 'limit'],
    ['an unknown parameter', 'GET', 'read?filter=site&select=*', 400, 'select'],
    ['ten thousand years', 'GET', `hisRead?id=${kWPoint}&range=1900-01-01,9999-12-30`, 400, 'longer than 3660 days'],
    ['no such date', 'GET', `hisRead?id=${kWPoint}&range=2025-02-30`, 400, 'not a date'],
    ['a range backwards', 'GET', `hisRead?id=${kWPoint}&range=2025-03-09,2025-03-01`, 400, 'ends before it starts'],
    ['a range of three parts', 'GET', `hisRead?id=${kWPoint}&range=today,today,today`, 400, 'at most two parts'],
    ['a range in emoji', 'GET', `hisRead?id=${kWPoint}&range=${encodeURIComponent('📅')}`, 400, 'not a date'],
    ['no range', 'GET', `hisRead?id=${kWPoint}`, 400, 'range'],
    ['an equip id', 'GET', `hisRead?id=${EAST}.main-incomer&range=today`, 400, 'not a point'],
    ['an unknown point', 'GET', `hisRead?id=${EAST}.main-incomer.kVAR&range=today`, 404, 'no point'],
    ['a path in the id', 'GET', `hisRead?id=${encodeURIComponent('../../etc/passwd')}&range=today`, 404, 'no point'],
    ['an empty body', 'POST', 'read', 400, 'rows', '{}', 'application/json'],
    ['two rows', 'POST', 'read', 400, 'one row', JSON.stringify({ rows: [{ filter: 'site' }, { filter: 'equip' }] }), 'application/json'],
    ['Zinc without ver', 'POST', 'read', 400, 'ver:"3.0"', 'filter\n"site"\n', 'text/zinc'],
    ['Zinc with a list', 'POST', 'hisRead', 400, 'only strings', `ver:"3.0"\nid,range\n[@${kWPoint}],"today"\n`, 'text/zinc'],
    ['Zinc with a NUL', 'POST', 'read', 400, 'control character', 'ver:"3.0"\nfilter\n"site\u0000"\n', 'text/zinc'],
    ['Hayson 1,000 arrays deep', 'POST', 'read', 400, 'deep', `${'['.repeat(1000)}${']'.repeat(1000)}`, 'application/vnd.haystack+json'],
    ['a huge Zinc body', 'POST', 'read', 413, 'at most', `ver:"3.0"\nfilter\n"${'x'.repeat(100_000)}"\n`, 'text/zinc'],
    // (A rest parameter: jest takes a callback with more parameters than a row has for one wanting `done`.)
  ])('refuses %s with a clear 4xx', async (_name, method, path, status, reason, ...sent: Array<string | undefined>) => {
    const answer = await call(method, path, { body: sent[0], type: sent[1] });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ status, detail: expect.stringContaining(reason) });
  });
});
