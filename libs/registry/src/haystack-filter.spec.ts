import { HaystackDict, HaystackFilterError, HaystackValue, matchesHaystackFilter, parseHaystackFilter } from './haystack-filter';

const marker: HaystackValue = { kind: 'marker' };
const str = (val: string): HaystackValue => ({ kind: 'str', val });
const ref = (val: string): HaystackValue => ({ kind: 'ref', val });
const num = (val: number, unit: string | null = null): HaystackValue => ({ kind: 'number', val, unit });

/** Two sites, three equips, four points: the shape of the examples in docHaystack/Filters. */
const ENTITIES: Record<string, HaystackDict> = {
  chicago: { id: ref('chicago'), site: marker, dis: str('Chicago HQ'), geoCity: str('Chicago'), geoPostalCode: str('60601') },
  richmond: { id: ref('richmond'), site: marker, dis: str('Richmond'), geoCity: str('Richmond'), geoPostalCode: str('23220') },
  'chicago-ahu': { id: ref('chicago-ahu'), equip: marker, hvac: marker, ahu: marker, siteRef: ref('chicago') },
  'chicago-meter': { id: ref('chicago-meter'), equip: marker, elec: marker, meter: marker, siteRef: ref('chicago') },
  'richmond-ahu': { id: ref('richmond-ahu'), equip: marker, hvac: marker, ahu: marker, siteRef: ref('richmond') },
  'chicago-ahu-dat': {
    id: ref('chicago-ahu-dat'),
    point: marker,
    temp: marker,
    curVal: num(55, '°F'),
    equipRef: ref('chicago-ahu'),
    siteRef: ref('chicago'),
  },
  'chicago-meter-kw': {
    id: ref('chicago-meter-kw'),
    point: marker,
    power: marker,
    curVal: num(412.5, 'kW'),
    equipRef: ref('chicago-meter'),
    siteRef: ref('chicago'),
  },
  'richmond-ahu-dat': {
    id: ref('richmond-ahu-dat'),
    point: marker,
    temp: marker,
    curVal: num(75, '°F'),
    equipRef: ref('richmond-ahu'),
    siteRef: ref('richmond'),
  },
  'richmond-ahu-fan': {
    id: ref('richmond-ahu-fan'),
    point: marker,
    fan: marker,
    curVal: { kind: 'bool', val: true },
    since: { kind: 'date', val: '2025-03-09' },
    equipRef: ref('richmond-ahu'),
    siteRef: ref('richmond'),
  },
};

const matching = (text: string) => {
  const filter = parseHaystackFilter(text);
  return Object.keys(ENTITIES).filter((id) => matchesHaystackFilter(filter, ENTITIES[id], (target) => ENTITIES[target]));
};

describe('Haystack filters (docHaystack/Filters)', () => {
  it.each([
    // The published examples, each with the entities worked out by hand.
    ['site', ['chicago', 'richmond']],
    ['geoPostalCode == "23220"', ['richmond']],
    ['geoPostalCode != "23220"', ['chicago']],
    ['curVal < 75', ['chicago-ahu-dat']],
    ['curVal <= 75', ['chicago-ahu-dat', 'richmond-ahu-dat']],
    ['curVal > 75', ['chicago-meter-kw']],
    ['curVal >= 75', ['chicago-meter-kw', 'richmond-ahu-dat']],
    ['site or equip', ['chicago', 'richmond', 'chicago-ahu', 'chicago-meter', 'richmond-ahu']],
    ['equip and hvac', ['chicago-ahu', 'richmond-ahu']],
    ['equip and not ahu', ['chicago-meter']],
    ['equip and siteRef->geoCity == "Chicago"', ['chicago-ahu', 'chicago-meter']],
  ])('%s', (text, expected) => {
    expect(matching(text)).toEqual(expected);
  });

  it.each([
    // Deref through two refs, refs, units, dates, bools, precedence and parentheses.
    ['point and equipRef->siteRef->geoCity == "Richmond"', ['richmond-ahu-dat', 'richmond-ahu-fan']],
    ['point and equipRef->ahu', ['chicago-ahu-dat', 'richmond-ahu-dat', 'richmond-ahu-fan']],
    ['point and not equipRef->ahu', ['chicago-meter-kw']],
    ['siteRef == @chicago and point', ['chicago-ahu-dat', 'chicago-meter-kw']],
    ['curVal > 60°F', ['richmond-ahu-dat']],
    ['curVal > 60kW', ['chicago-meter-kw']],
    ['curVal == 412.5kW', ['chicago-meter-kw']],
    ['curVal == 412.5°F', []],
    ['curVal == true', ['richmond-ahu-fan']],
    ['since >= 2025-01-01', ['richmond-ahu-fan']],
    ['site or equip and elec', ['chicago', 'richmond', 'chicago-meter']],
    ['(site or equip) and geoCity', ['chicago', 'richmond']],
    ['((((temp))))', ['chicago-ahu-dat', 'richmond-ahu-dat']],
    ['dis == "Chicago HQ"', ['chicago']],
    ['dis == "Chicago\\u0020HQ"', ['chicago']],
    // A comparison with a missing tag, or a value of another kind, never matches.
    ['geoCity != 1', []],
    ['nothing != "x"', []],
    ['siteRef->nowhere->geoCity', []],
  ])('%s', (text, expected) => {
    expect(matching(text)).toEqual(expected);
  });

  it('parses the precedence of and over or into the tree the grammar gives', () => {
    expect(parseHaystackFilter('a or b and not c->d')).toEqual({
      type: 'or',
      left: { type: 'has', path: ['a'] },
      right: { type: 'and', left: { type: 'has', path: ['b'] }, right: { type: 'missing', path: ['c', 'd'] } },
    });
  });

  it.each([
    ['', 'empty filter'],
    ['site and', 'expected a tag name'],
    ['site or or equip', 'expected a tag name'],
    ['(site', 'expected ")"'],
    ['site)', 'expected "and", "or" or the end'],
    ['geoCity = "Chicago"', 'unexpected "="'],
    ['geoCity == ', 'expected a value'],
    ['geoCity == "Chicago', 'unterminated quoted value'],
    ['geoCity == "a\\qb"', 'invalid escape'],
    ['Site', 'unexpected "S"'],
    ['site\u0000', 'control character U+0000'],
    ['dis == "a\u0001"', 'control character U+0001'],
    ['since > 2025-02-30', 'is not a date'],
    ['curVal > 1e999', 'number out of range'],
    ['site; drop table sites', 'unexpected ";"'],
    ['站點', 'unexpected "站"'],
    [`${'('.repeat(40)}site${')'.repeat(40)}`, 'nested deeper than 32'],
    ['site or '.repeat(300) + 'site', 'longer than 2000 characters'],
  ])('refuses %j: %s', (text, reason) => {
    expect(() => parseHaystackFilter(text)).toThrow(HaystackFilterError);
    expect(() => parseHaystackFilter(text)).toThrow(reason);
  });

  it('keeps unicode inside strings', () => {
    const entity: HaystackDict = { dis: str('市政大樓 ☀') };
    expect(matchesHaystackFilter(parseHaystackFilter('dis == "市政大樓 ☀"'), entity, () => undefined)).toBe(true);
  });
});
