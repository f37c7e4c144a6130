import ExcelJS from 'exceljs';
import type { AppConfig } from '@hallwatch/config';
import { buildPortfolioReport, portfolioTables } from './portfolio-report';
import { ReportRenderer } from './report-renderer.service';
import { dailySeries, savingsInputs } from './savings-report.fixture';
import { buildSavingsReport } from './savings-report';

/**
 * A portfolio of two sites (#17 item 12), whose sums are the seeds' figures: 7,000,000 + 5,531,673 =
 * 12,531,673 kWh in 2017 H2 against 6,900,000 + 5,672,309 = 12,572,309 kWh in 2015 H2.
 */
function twoSites(lang: 'zh-TW' | 'en' = 'zh-TW') {
  const site = (key: string, name: string, current: number, baseline: number, target: boolean) =>
    buildSavingsReport(
      savingsInputs({
        lang,
        site: { key, name },
        current: dailySeries('2017-07-01', '2018-01-01', current / 184),
        previous: dailySeries('2015-07-01', '2016-01-01', baseline / 184),
        target: target ? { baselineYear: 2015, annualReductionPct: 1, createdBy: 'officer', createdAt: '2017-01-01T00:00:00Z' } : null,
      }),
    );
  return [site('city-hall', '市政大樓', 7_000_000, 6_900_000, true), site('school', '市立國中', 5_531_673, 5_672_309, true)];
}

describe('a portfolio report of two sites', () => {
  it("writes the council sentence for the whole, a line per site, and each site's KPIs", () => {
    const report = buildPortfolioReport('本府各機關學校', twoSites());
    expect(report.summary).toBe(
      '本府各機關學校106年下半年用電量為1,253萬1,673度，較基期年(104年)同期1,257萬2,309度，減少4萬636度，約0.32%',
    );
    expect(report.totals).toMatchObject({ percent: -0.32 });
    expect(report.totals.current).toBeCloseTo(12_531_673, 3);
    expect(report.months).toHaveLength(6);
    const tables = portfolioTables(report);
    const sites = tables.find((t) => t.key === 'sites')!;
    // 市政大樓: +100,000, 100,000 / 6,900,000 = +1.45 %; 市立國中: -140,636, 140,636 / 5,672,309 = -2.48 %.
    expect(sites.rows.map((row) => row.slice(0, 5))).toEqual([
      ['市政大樓', 7_000_000, 6_900_000, 100_000, 1.45],
      ['市立國中', 5_531_673, 5_672_309, -140_636, -2.48],
    ]);
    expect(sites.rows[1][5]).toBe('市立國中106年下半年用電量為553萬1,673度，較基期年(104年)同期567萬2,309度，減少14萬636度，約2.48%');
    // A target of 1 % a year from 2015: 2 % by 2017. 市政大樓 reduced -1.45 %: -72.5 % achieved;
    // 市立國中 2.48 %: 124.0 %.
    const kpi = tables.find((t) => t.key === 'kpi')!;
    expect(kpi.rows.filter((row) => row[1] === '較基期年節約率').map((row) => [row[0], row[2], row[4]])).toEqual([
      ['市政大樓', 2, '-72.5%'],
      ['市立國中', 2, '124.0%'],
    ]);
  });

  it('states no change for the whole when a site has too little data', () => {
    const [hall, school] = twoSites();
    const empty = buildSavingsReport(savingsInputs({ site: { key: 'school', name: '市立國中' }, current: [] }));
    const report = buildPortfolioReport('本府各機關學校', [hall, empty]);
    expect(report.summary).toBe('本府各機關學校106年下半年：市立國中的資料或模型不足以比較，不計算整體增減。');
    expect(report.totals.percent).toBeNull();
    expect(school.summaryMethod).toBe('same-period');
  });

  it('renders in every format', async () => {
    const config = {
      get: (key: string) =>
        key === 'REPORT_FONT_PATH' ? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' : 'NotoSansCJKtc-Regular',
    } as unknown as AppConfig;
    const renderer = new ReportRenderer(config);
    const report = buildPortfolioReport('本府各機關學校', twoSites());
    const json = await renderer.render(report, 'json');
    expect(JSON.parse(json.content.toString()).portfolio.sites).toHaveLength(2);
    const csv = (await renderer.render(report, 'csv')).content.toString('utf8');
    expect(csv).toContain('本府各機關學校106年下半年用電量為1,253萬1,673度');
    expect(csv).toContain('市立國中,5531673,5672309,-140636,-2.48');
    const xlsx = await renderer.render(report, 'xlsx');
    expect(xlsx.fileName).toBe('hallwatch-portfolio-electricity-2017-07-01-2018-01-01.xlsx');
    const workbook = new ExcelJS.Workbook();
    const bytes = xlsx.content;
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(workbook.getWorksheet('sites')!.rowCount).toBe(2 + 2);
    expect(workbook.getWorksheet('kpi')!.rowCount).toBe(2 + 4);
    const pdf = await renderer.render(report, 'pdf');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
