import { councilSentence, percentChange } from './council-sentence';

describe('councilSentence', () => {
  const electricity = {
    utility: 'electricity',
    current: 12_531_673,
    baseline: 12_572_309,
    referenceYear: 2015,
    reference: 'baseline-year',
  } as const;

  it("writes the council's own sentence for the seeds' figures (#17 item 10)", () => {
    // The Taipei council report, word for word: 12,531,673 - 12,572,309 = -40,636; 40,636 / 12,572,309 = 0.323 %.
    expect(councilSentence(electricity, 'zh-TW', { subject: '本府各機關學校', periodLabel: '106年下半年' })).toBe(
      '本府各機關學校106年下半年用電量為1,253萬1,673度，較基期年(104年)同期1,257萬2,309度，減少4萬636度，約0.32%',
    );
    expect(councilSentence(electricity, 'zh-TW', { subject: '本府各機關學校', periodLabel: '106年1-6月' })).toBe(
      '本府各機關學校106年1-6月用電量為1,253萬1,673度，較基期年(104年)同期1,257萬2,309度，減少4萬636度，約0.32%',
    );
    expect(councilSentence({ ...electricity, current: 130_000_020, baseline: 100_000_020 }, 'zh-TW', { subject: '本府' })).toBe(
      '本府用電量為1億3,000萬20度，較基期年(104年)同期1億零20度，增加3,000萬度，約30.00%',
    );
  });

  it('writes the spaced sentence for a decrease when asked', () => {
    expect(councilSentence(electricity, 'zh-TW', { form: 'spaced' })).toBe(
      '本期總用電量 1,253 萬 1,673 度，與基期年(104)同期 1,257 萬 2,309 度相比，減少 4 萬 636 度，約 0.32%。',
    );
  });

  it('words an increase as an increase', () => {
    expect(councilSentence({ ...electricity, current: 12_572_309, baseline: 12_531_673 }, 'zh-TW', { form: 'spaced' })).toBe(
      '本期總用電量 1,257 萬 2,309 度，與基期年(104)同期 1,253 萬 1,673 度相比，增加 4 萬 636 度，約 0.32%。',
    );
  });

  it('uses 度 for water, 公升 for fuel, and 去年同期 for the previous year', () => {
    expect(
      councilSentence({ utility: 'water', current: 90_500, baseline: 86_462, referenceYear: 2016, reference: 'previous-year' }, 'zh-TW', {
        form: 'spaced',
      }),
    ).toBe('本期總用水量 9 萬 500 度，與去年(105)同期 8 萬 6,462 度相比，增加 4,038 度，約 4.67%。');
    expect(
      councilSentence({ utility: 'fuel', current: 12_614, baseline: 10_442, referenceYear: 2015, reference: 'baseline-year' }, 'zh-TW', {
        form: 'spaced',
      }),
    ).toBe('本期總用油量 1 萬 2,614 公升，與基期年(104)同期 1 萬 442 公升相比，增加 2,172 公升，約 20.80%。');
  });

  it("uses the council's form for water and fuel, with 去年同期 for the previous year", () => {
    expect(
      councilSentence({ utility: 'water', current: 90_500, baseline: 86_462, referenceYear: 2016, reference: 'previous-year' }, 'zh-TW'),
    ).toBe('本期用水量為9萬500度，較去年(105年)同期8萬6,462度，增加4,038度，約4.67%');
    expect(
      councilSentence({ utility: 'fuel', current: 12_614, baseline: 10_442, referenceYear: 2015, reference: 'baseline-year' }, 'zh-TW'),
    ).toBe('本期用油量為1萬2,614公升，較基期年(104年)同期1萬442公升，增加2,172公升，約20.80%');
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
