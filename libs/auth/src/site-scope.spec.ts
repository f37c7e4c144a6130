import { inScope, listSites, requestedSites, scopeFromColumn, scopeToColumn } from './site-scope';

describe('site scope', () => {
  it.each([
    ['*', 'north-hall', true],
    ['*', '*', true],
    [['north-hall'], 'north-hall', true],
    [['north-hall'], 'south-hall', false],
    [['north-hall'], '*', false],
    [[], 'north-hall', false],
  ] as const)('%j covers %s: %s', (scope, site, expected) => {
    expect(inScope(scope, site)).toBe(expected);
  });

  it('stores every site as null and reads a list holding * as every site', () => {
    expect(scopeToColumn('*')).toBeNull();
    expect(scopeToColumn(['a', 'b'])).toEqual(['a', 'b']);
    expect(scopeFromColumn(null)).toBe('*');
    expect(scopeFromColumn(['*'])).toBe('*');
    expect(scopeFromColumn(['a'])).toEqual(['a']);
  });

  it('finds the sites a request names in its path, query, body and report parameters', () => {
    expect(requestedSites({ params: { site: 'a' }, query: { site: 'b' }, body: { site: 'c', params: { site: 'd' } } })).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(requestedSites({ params: { site: 'a' }, query: { site: 'a' } })).toEqual(['a']);
    expect(requestedSites({ params: {}, query: {}, body: undefined })).toEqual([]);
    expect(requestedSites({ body: { site: 42 } })).toEqual([]);
  });

  it('lists the requested site, or the scope', () => {
    expect(listSites('*')).toBeUndefined();
    expect(listSites('*', 'a')).toEqual(['a']);
    expect(listSites(['a', 'b'])).toEqual(['a', 'b']);
  });
});
