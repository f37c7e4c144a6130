import { stateLabel, stateLegend, uncertainCount } from './reading-quality';

const raw = (quality: 'good' | 'uncertain', ts: number) => ({ ts, value: 1, flags: quality === 'uncertain' ? 8 : 0, quality });

describe('reading quality on the page', () => {
  it('counts the uncertain raw readings of every line, and none in buckets', () => {
    expect(
      uncertainCount([
        { bucket: 'raw', rows: [raw('good', 1), raw('uncertain', 2), raw('uncertain', 3)] },
        { bucket: 'raw', rows: [raw('uncertain', 1)] },
        { bucket: '15m', rows: [] },
      ]),
    ).toBe(3);
    expect(uncertainCount([{ bucket: 'raw', rows: [raw('good', 1)] }])).toBe(0);
  });

  it("lists a multi-state point's states in the page's language, English where no Chinese label is given", () => {
    const point = {
      states: [
        { value: 0, en: 'off', 'zh-TW': '停機' },
        { value: 1, en: 'on', 'zh-TW': '運轉' },
        { value: 2, en: 'fault' },
      ],
    };
    expect(stateLegend(point, 'zh-TW')).toBe('0 停機 · 1 運轉 · 2 fault');
    expect(stateLegend(point, 'en')).toBe('0 off · 1 on · 2 fault');
    expect(stateLegend({ states: null }, 'en')).toBeNull();
  });

  it.each<[number | null, 'zh-TW' | 'en', string | null]>([
    [0, 'zh-TW', '停機'],
    [0, 'en', 'Off'],
    [2, 'en', 'Fault'],
    // no Chinese label: the English one
    [2, 'zh-TW', 'Fault'],
    // a value that is no state (a rollup's mean), or none at all
    [0.5, 'en', null],
    [3, 'zh-TW', null],
    [null, 'en', null],
  ])('labels state %p in %s as %p', (value, locale, label) => {
    const point = {
      states: [
        { value: 0, en: 'Off', 'zh-TW': '停機' },
        { value: 1, en: 'On', 'zh-TW': '運轉' },
        { value: 2, en: 'Fault' },
      ],
    };
    expect(stateLabel(point, value, locale)).toBe(label);
  });

  it('has no label for a point without states', () => {
    expect(stateLabel({ states: null }, 1, 'en')).toBeNull();
    expect(stateLabel(undefined, 1, 'en')).toBeNull();
  });
});
