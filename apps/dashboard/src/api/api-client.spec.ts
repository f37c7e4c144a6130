import { ApiClient, ApiError, nextCursor, UnauthorisedError } from './api-client';

function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: init?.headers as Record<string, string> });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetchImpl };
}

describe('ApiClient', () => {
  it('sends the bearer token and reads the body', async () => {
    const { calls, fetchImpl } = fakeFetch(200, [{ key: 'demo-city-hall' }]);
    const sites = await new ApiClient('secret-token', fetchImpl).sites();
    expect(sites).toEqual([{ key: 'demo-city-hall' }]);
    expect(calls[0]).toEqual({ url: '/api/v1/sites', headers: { authorization: 'Bearer secret-token', accept: 'application/json' } });
  });

  it('asks for readings with the range, bucket and limit', async () => {
    const rollups = fakeFetch(200, { bucket: '15m', truncated: false, unit: 'kW', readings: [] });
    const raw = fakeFetch(200, { bucket: 'raw', truncated: false, unit: 'kW', readings: [] });
    await new ApiClient('t', rollups.fetchImpl).rollups('demo hall', { asset: 'main-incomer', point: 'kW' }, '15m', 1000, 2000);
    await new ApiClient('t', raw.fetchImpl).raw('demo', { asset: 'a', point: 'p' }, 1, 2, 500);
    expect(rollups.calls[0].url).toBe(
      '/api/v1/sites/demo%20hall/assets/main-incomer/points/kW/readings?from=1970-01-01T00%3A00%3A01.000Z&to=1970-01-01T00%3A00%3A02.000Z&bucket=15m',
    );
    expect(raw.calls[0].url).toBe(
      '/api/v1/sites/demo/assets/a/points/p/readings?from=1970-01-01T00%3A00%3A00.001Z&to=1970-01-01T00%3A00%3A00.002Z&bucket=raw&limit=500',
    );
  });

  it('reads ISO 8601 reading times into epoch ms, and follows `next` through every page of rollups', async () => {
    const bucket = (ts: string) => ({ ts, count: 1, sum: 1, mean: 1, twMean: 1, min: 1, max: 1, first: 1, last: 1 });
    const pages = [
      { bucket: '1h', unit: 'kW', truncated: true, next: 'page-2', readings: [bucket('2026-12-01T00:00:00.000Z')] },
      { bucket: '1h', unit: 'kW', truncated: false, next: null, readings: [bucket('2026-12-01T01:00:00+00:00')] },
    ];
    const urls: string[] = [];
    const fetchImpl = async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(pages[urls.length - 1]), { status: 200 });
    };
    const { readings } = await new ApiClient('t', fetchImpl).rollups('demo', { asset: 'a', point: 'p' }, '1h', 0, 7_200_000);
    expect(readings.map((row) => row.ts)).toEqual([Date.UTC(2026, 11, 1, 0), Date.UTC(2026, 11, 1, 1)]);
    expect(urls[1]).toMatch(/&cursor=page-2$/);
  });

  it('walks every page of open alerts by the Link header, and stops where it has none', async () => {
    const alert = (id: number) => ({ id, state: 'open' });
    const urls: string[] = [];
    const fetchImpl = async (url: string) => {
      urls.push(url);
      const query = new URL(url, 'http://x').searchParams;
      if (query.get('state') !== 'open') return new Response('[]', { status: 200 });
      const second = query.get('cursor') === 'WyJhIl0';
      const headers: Record<string, string> = second ? {} : { link: '</api/v1/alerts?site=demo&state=open&cursor=WyJhIl0>; rel="next"' };
      return new Response(JSON.stringify(second ? [alert(3)] : [alert(1), alert(2)]), { status: 200, headers });
    };
    const alerts = await new ApiClient('t', fetchImpl).alerts('demo');
    expect(alerts.map((one) => one.id)).toEqual([1, 2, 3]);
    expect(urls.filter((url) => url.includes('state=open'))).toEqual([
      '/api/v1/alerts?site=demo&state=open',
      '/api/v1/alerts?site=demo&state=open&cursor=WyJhIl0',
    ]);
  });

  it('finds the next cursor in a Link header among other links', () => {
    expect(nextCursor('</a?cursor=first>; rel="first", </a?x=1&cursor=abc_-9>; rel="next"')).toBe('abc_-9');
    expect(nextCursor('</a?cursor=first>; rel="first"')).toBeNull();
    expect(nextCursor(null)).toBeNull();
  });

  it('refuses an answer of another bucket than asked for', async () => {
    const answeredRaw = fakeFetch(200, { bucket: 'raw', truncated: false, unit: 'kW', readings: [] });
    await expect(new ApiClient('t', answeredRaw.fetchImpl).rollups('demo', { asset: 'a', point: 'p' }, '1h', 1, 2)).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('fills path parameters, encoding each, and leaves unset query parameters out', async () => {
    const { calls, fetchImpl } = fakeFetch(200, []);
    await new ApiClient('t', fetchImpl).workItems('hall/1', 'open');
    await new ApiClient('t', fetchImpl).alert(7);
    expect(calls.map((call) => call.url)).toEqual(['/api/v1/maintenance/work-items?site=hall%2F1&state=open', '/api/v1/alerts/7']);
  });

  it('turns a 401 into UnauthorisedError', async () => {
    const { fetchImpl } = fakeFetch(401, { error: 'unauthorised' });
    await expect(new ApiClient('wrong', fetchImpl).sites()).rejects.toBeInstanceOf(UnauthorisedError);
  });

  it("keeps the server's problem: its code (from the type), detail and field errors", async () => {
    const notFound = { type: 'urn:hallwatch:problem:not-found', title: 'Not found', status: 404, detail: 'site nowhere does not exist' };
    await expect(new ApiClient('t', fakeFetch(404, notFound).fetchImpl).site('nowhere')).rejects.toMatchObject({
      status: 404,
      code: 'not-found',
      message: 'site nowhere does not exist',
      fieldErrors: [],
    });
    const invalid = {
      type: 'urn:hallwatch:problem:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: 'limit: Number must be less than or equal to 100000',
      errors: [{ field: 'limit', message: 'Number must be less than or equal to 100000' }],
    };
    await expect(new ApiClient('t', fakeFetch(400, invalid).fetchImpl).site('x')).rejects.toMatchObject({
      code: 'invalid-input',
      fieldErrors: [{ field: 'limit', message: 'Number must be less than or equal to 100000' }],
    });
  });

  it('reports an unreachable server as status 0', async () => {
    const failing = async () => {
      throw new TypeError('fetch failed');
    };
    const error = await new ApiClient('t', failing).sites().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'unreachable' });
  });
});
