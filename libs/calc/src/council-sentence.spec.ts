import { councilSentence, percentChange } from './council-sentence';

describe('councilSentence', () => {
  const electricity = {
    utility: 'electricity',
    current: 12_531_673,
    baseline: 12_572_309,
    referenceYear: 2015,
    reference: 'baseline-year',
  } as const;

  it('writes the council report sentence for a decrease', () => {
    expect(councilSentence(electricity, 'zh-TW')).toBe(
      '本期總用電量 1,253 萬 1,673 度，與基期年(104)同期 1,257 萬 2,309 度相比，減少 4 萬 636 度，約 0.32%。',
    );
  });

  it('words an increase as an increase', () => {
    expect(councilSentence({ ...electricity, current: 12_572_309, baseline: 12_531_673 }, 'zh-TW')).toBe(
      '本期總用電量 1,257 萬 2,309 度，與基期年(104)同期 1,253 萬 1,673 度相比，增加 4 萬 636 度，約 0.32%。',
    );
  });

  it('uses 度 for water, 公升 for fuel, and 去年同期 for the previous year', () => {
    expect(
      councilSentence({ utility: 'water', current: 90_500, baseline: 86_462, referenceYear: 2016, reference: 'previous-year' }, 'zh-TW'),
    ).toBe('本期總用水量 9 萬 500 度，與去年(105)同期 8 萬 6,462 度相比，增加 4,038 度，約 4.67%。');
    expect(
      councilSentence({ utility: 'fuel', current: 12_614, baseline: 10_442, referenceYear: 2015, reference: 'baseline-year' }, 'zh-TW'),
    ).toBe('本期總用油量 1 萬 2,614 公升，與基期年(104)同期 1 萬 442 公升相比，增加 2,172 公升，約 20.80%。');
  });

  it('writes English', () => {
    expect(councilSentence(electricity, 'en')).toBe(
      "This period's electricity use was 12,531,673 kWh against 12,572,309 kWh in the same period of baseline year 2015 (ROC 104): down 40,636 kWh, about 0.32%.",
    );
  });

  it('says so when there is no baseline', () => {
    expect(councilSentence({ ...electricity, baseline: 0 }, 'zh-TW')).toContain('無法計算');
    expect(percentChange(1, 0)).toBeNull();
    expect(percentChange(12_531_673, 12_572_309)).toBe(-0.32);
  });
});
