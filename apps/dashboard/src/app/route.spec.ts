import { parseRoute, routeHref } from './route';

describe('routes', () => {
  it.each([
    ['', 'overview', {}],
    ['#/', 'overview', {}],
    ['#/chillers', 'chillers', {}],
    ['#/nowhere', 'overview', {}],
    ['#/trends?asset=main-incomer&point=kW&range=24h', 'trends', { asset: 'main-incomer', point: 'kW', range: '24h' }],
  ])('reads %p as the %s page', (hash, page, params) => {
    expect(parseRoute(hash)).toEqual({ page, params });
  });

  it('writes links that read back the same, leaving out empty parameters', () => {
    const href = routeHref('trends', { asset: 'zone-2f-east', point: 'co2', range: undefined });
    expect(href).toBe('#/trends?asset=zone-2f-east&point=co2');
    expect(parseRoute(href)).toEqual({ page: 'trends', params: { asset: 'zone-2f-east', point: 'co2' } });
    expect(routeHref('zones')).toBe('#/zones');
  });
});
