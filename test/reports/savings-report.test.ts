import ExcelJS from 'exceljs';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { localDate } from '@hallwatch/domain';
import { QUEUES } from '@hallwatch/jobs';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { Adjustment, PortfolioReport, ReportRun, SavingsReport } from '@hallwatch/savings';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  BACKENDS,
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  pdfFonts,
  pdfText,
  renderPdfPage,
  RunningApp,
  startApp,
  startSmtpSink,
} from '@hallwatch/testing';

const SITE = 'report-hall';
const HOUR = 3_600_000;
const site: SiteDefinition = {
  key: SITE,
  name: '測試市府 Report hall',
  timezone: 'Asia/Taipei',
  attributes: { contractCapacityKw: 6000, organisation: '本府各機關學校' },
  opcua: [],
  assets: [
    {
      key: 'main-incomer',
      name: 'Main incomer',
      type: 'electricity-meter',
      tags: ['elec'],
      attributes: { role: 'main' },
      points: [{ key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: ['energy'], attributes: {} }],
    },
  ],
};

/** A second site for the portfolio: one register read at each midnight, 2015 H2 and 2017 H2. */
const annex: SiteDefinition = { ...site, key: 'report-annex', name: '測試市府 Annex', attributes: { organisation: '本府各機關學校' } };
function dailyRegisters(pointId: number, fromIso: string, days: number, startRegister: number, perDay: number) {
  const from = Date.parse(`${fromIso}T00:00:00+08:00`);
  return Array.from({ length: days + 1 }, (_, d) => ({ pointId, ts: from + d * 86_400_000, value: startRegister + perDay * d, flags: 0 }));
}

/**
 * Hourly register readings over a half-year whose use adds up exactly to `total`: more by day
 * than by night, more on weekdays. The first reading opens the period (no use before it), the
 * last closes it one second before midnight, so every step falls inside the half-year.
 */
function halfYearOfRegisters(pointId: number, fromIso: string, toIso: string, startRegister: number, total: number) {
  const from = Date.parse(`${fromIso}T00:00:00+08:00`);
  const to = Date.parse(`${toIso}T00:00:00+08:00`);
  const stamps: number[] = [];
  for (let ts = from; ts < to; ts += HOUR) stamps.push(ts);
  stamps.push(to - 1000);
  const weights = stamps.map((ts, i) => {
    if (i === 0) return 0;
    const local = new Date(ts + 8 * HOUR);
    const weekday = local.getUTCDay() % 6 !== 0;
    const daytime = local.getUTCHours() >= 8 && local.getUTCHours() < 18;
    return (weekday ? 1.4 : 1) * (daytime ? 2.5 : 1);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return stamps.map((ts, i) => {
    cumulative += weights[i];
    return { pointId, ts, value: startRegister + Math.round((total * cumulative) / sum), flags: 0 };
  });
}

describe.each(BACKENDS)('savings reports on %s', (backend) => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string | undefined;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const auth = () => ({ authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` });
  const get = (path: string) => fetch(`${running.baseUrl}/api/v1${path}`, { headers: auth() });
  const send = (method: string, path: string, body: unknown) =>
    fetch(`${running.baseUrl}/api/v1${path}`, {
      method,
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // Response bodies are checked field by field below; their shapes are the API's, not re-declared here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async <T = any>(response: Response | Promise<Response>): Promise<T> => (await response).json() as Promise<T>;
  const h2017 = `site=${SITE}&utility=electricity&from=2017-07-01&to=2018-01-01&baselineYear=2015`;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    databaseUrl = backend === 'postgres' ? await createServerDatabase() : undefined;
    env = isolatedEnv([site, annex], {
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_EMBEDDED_STORAGE: 'memory' }),
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Hallwatch <reports@city.example>',
    });
    running = await startApp(StandaloneModule, env);
    const registry = running.app.get(RegistryRepository);
    const pointId = (await registry.allPointAddresses()).find((p) => p.site === SITE && p.point === 'kWh')!.pointId;
    const annexPoint = (await registry.allPointAddresses()).find((p) => p.site === annex.key && p.point === 'kWh')!.pointId;
    const readings = running.app.get(ReadingRepository);
    // The register carries on from 2015 to 2017 without use in between: the step across the gap is zero.
    const h2015 = halfYearOfRegisters(pointId, '2015-07-01', '2016-01-01', 1_000_000, 12_572_309);
    const h2017 = halfYearOfRegisters(pointId, '2017-07-01', '2018-01-01', h2015.at(-1)!.value, 12_531_673);
    // The annex: 900,000 kWh in 2015 H2 (184 days), 1,000,000 in 2017 H2.
    const annexReads = [
      ...dailyRegisters(annexPoint, '2015-07-01', 184, 0, 900_000 / 184),
      ...dailyRegisters(annexPoint, '2017-07-01', 184, 900_000, 1_000_000 / 184),
    ];
    const all = [...h2015, ...h2017, ...annexReads];
    for (let i = 0; i < all.length; i += 2000) await readings.insertBatch(all.slice(i, i + 2000));
    await running.app.get(RollupRefresher).drain();
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('writes the council sentence for 2017 H2 against baseline year 2015 (ROC 104)', async () => {
    const response = await get(`/reports/savings?${h2017}&lang=zh-TW`);
    expect(response.status).toBe(200);
    const report = await json<SavingsReport>(response);
    // The Taipei council report's sentence, word for word (#17 item 10).
    expect(report.summary).toBe(
      '本府各機關學校106年下半年用電量為1,253萬1,673度，較基期年(104年)同期1,257萬2,309度，減少4萬636度，約0.32%',
    );
    const spaced = await json<SavingsReport>(get(`/reports/savings?${h2017}&lang=zh-TW&sentence=spaced`));
    expect(spaced.summary).toBe('本期總用電量 1,253 萬 1,673 度，與基期年(104)同期 1,257 萬 2,309 度相比，減少 4 萬 636 度，約 0.32%。');
    expect(report.period.label).toBe('106年下半年');
    expect(report.baseline).toMatchObject({ from: '2015-07-01', to: '2016-01-01', label: '104年下半年', rocYear: 104 });
    expect(report.totals).toMatchObject({ current: 12_531_673, baseline: 12_572_309, difference: -40_636, percent: -0.32 });
    expect(report.months).toHaveLength(6);
    expect(report.months.reduce((sum, m) => sum + m.current, 0)).toBeCloseTo(12_531_673, 3);
    // Both factors are published: 2015's (0.525, published in 2016) and 2017's (0.554).
    expect(report.emissions.currentKg).toBeCloseTo(12_531_673 * 0.554, 0);
    expect(report.emissions.factors).toEqual([
      { year: 2015, factor: 0.525, factorYear: 2015, provisional: false },
      { year: 2017, factor: 0.554, factorYear: 2017, provisional: false },
    ]);
    expect(report.cost.current).toBeGreaterThan(0);
    expect(report.cost.bills?.current).toHaveLength(6);
  });

  it('reports a portfolio of two sites with the council sentence for the whole, in every format (#17 item 12)', async () => {
    const portfolio = `/reports/savings/portfolio?sites=${SITE},${annex.key}&from=2017-07-01&to=2018-01-01&baselineYear=2015&name=本府各機關學校`;
    const report = await json<PortfolioReport>(get(encodeURI(portfolio)));
    // 12,531,673 + 1,000,000 = 13,531,673 against 12,572,309 + 900,000 = 13,472,309: up 59,364, 0.44 %.
    expect(report.summary).toBe(
      '本府各機關學校106年下半年用電量為1,353萬1,673度，較基期年(104年)同期1,347萬2,309度，增加5萬9,364度，約0.44%',
    );
    expect(report.portfolio.sites.map((s) => [s.name, s.percent])).toEqual([
      ['測試市府 Report hall', -0.32],
      // 100,000 / 900,000 = 11.11 %
      ['測試市府 Annex', 11.11],
    ]);
    for (const format of ['csv', 'xlsx', 'pdf']) {
      const file = await get(encodeURI(`${portfolio}&format=${format}`));
      expect([format, file.status]).toEqual([format, 200]);
      expect(file.headers.get('content-disposition')).toContain(`hallwatch-portfolio-electricity-2017-07-01-2018-01-01.${format}`);
    }
    expect((await get(`/reports/savings/portfolio?sites=${SITE}&from=2017-07-01&to=2018-01-01&baselineYear=2015`)).status).toBe(400);
  });

  it('words an increase as an increase, and speaks English', async () => {
    const increase = await json(get(`/reports/savings?site=${SITE}&from=2015-07-01&to=2016-01-01&baselineYear=2017`));
    expect(increase.summary).toBe(
      '本府各機關學校104年下半年用電量為1,257萬2,309度，較基期年(106年)同期1,253萬1,673度，增加4萬636度，約0.32%',
    );
    const english = await json(get(`/reports/savings?${h2017}&lang=en`));
    expect(english.summary).toBe(
      "This period's electricity use was 12,531,673 kWh against 12,572,309 kWh in the same period of baseline year 2015 (ROC 104): down 40,636 kWh, about 0.32%.",
    );
    expect(english.period.label).toBe('2017 H2');
  });

  it('keeps adjustments, measures and targets with who entered them, and uses them', async () => {
    const adjustment = await send('POST', `/sites/${SITE}/savings/adjustments`, {
      utility: 'electricity',
      kind: 'amount',
      startsOn: '2017-09-01',
      endsOn: '2017-10-01',
      amount: 30_000,
      reason: '約300名員工移回市府大樓 (about 300 staff moved back in)',
    });
    expect(adjustment.status).toBe(201);
    expect(await json(adjustment)).toMatchObject({ createdBy: 'HALLWATCH_API_TOKEN', amount: 30_000 });
    const measure = await send('POST', `/sites/${SITE}/savings/measures`, {
      utility: 'electricity',
      name: 'PLC 26W → LED 10W (93 lamps)',
      installedOn: '2017-01-01',
      estimatedPerYear: 7_440,
      estimatedNtdPerYear: 28_198,
    });
    expect(measure.status).toBe(201);
    expect((await send('PUT', `/sites/${SITE}/savings/targets/electricity`, { baselineYear: 2015, annualReductionPct: 1 })).status).toBe(
      200,
    );

    const report = await json(get(`/reports/savings?${h2017}`));
    expect(report.totals.adjustments).toBeCloseTo(30_000, 6);
    expect(report.totals.adjustedBaseline).toBeCloseTo(12_602_309, 6);
    expect(report.adjustments[0].reason).toContain('300');
    // The LED estimate over the half-year (184 of 365 days), beside what the meter measured.
    expect(report.measured.estimatedTotal).toBeCloseTo((7_440 * 184) / 365, 6);
    expect(report.measured.measuredSaving).toBeCloseTo(12_602_309 - 12_531_673, 6);
    // Target: 1% a year from 2015, so 2% in 2017; actual 0.56% of the adjusted baseline.
    const [reduction] = report.kpi;
    expect(reduction.target).toBeCloseTo(2, 10);
    expect(reduction.actual).toBeCloseTo(((12_602_309 - 12_531_673) / 12_602_309) * 100, 6);
    expect(reduction.achievementRatio).toBeCloseTo(reduction.actual / 2, 10);

    // An exclusion leaves a day out of both periods; retiring keeps it in the history.
    const exclusion = await json(
      send('POST', `/sites/${SITE}/savings/adjustments`, {
        utility: 'electricity',
        kind: 'exclude',
        startsOn: '2017-10-10',
        endsOn: '2017-10-11',
        reason: '國慶日活動 event',
      }),
    );
    const excluded = await json(get(`/reports/savings?${h2017}`));
    expect(excluded.excludedDays).toEqual(['2017-10-10']);
    expect(excluded.totals.current).toBeLessThan(12_531_673);
    expect((await send('DELETE', `/sites/${SITE}/savings/adjustments/${exclusion.id}`, {})).status).toBe(200);
    const history = await json<Adjustment[]>(get(`/sites/${SITE}/savings/adjustments?includeRetired=true`));
    expect(history.find((a) => a.id === exclusion.id)).toMatchObject({ retiredBy: 'HALLWATCH_API_TOKEN' });
    const current = await json<Adjustment[]>(get(`/sites/${SITE}/savings/adjustments`));
    expect(current.map((a) => a.kind)).toEqual(['amount']);
  });

  it('prices use at an entered tariff and editable emission factors', async () => {
    const before = await json<SavingsReport>(get(`/reports/savings?${h2017}`));
    const tariffs = await json<{ id: string; effectiveFrom: string }[]>(get('/tariffs'));
    const older = tariffs.find((t) => t.id === 'taipower-hv-3stage-2015')!;
    // An officer enters the 2017 table: every price doubled.
    const doubled = JSON.parse(
      JSON.stringify(older, (_key, value: unknown) => (typeof value === 'number' ? value * 2 : value)),
    ) as typeof older;
    const put = await send('PUT', '/tariffs/taipower-hv-3stage-2017', { ...doubled, effectiveFrom: '2017-01-01' });
    expect(put.status).toBe(200);
    const after = await json<SavingsReport>(get(`/reports/savings?${h2017}`));
    expect(after.cost.bills?.current[0].tariffId).toBe('taipower-hv-3stage-2017');
    expect(after.cost.current!).toBeCloseTo(2 * before.cost.current!, -2);
    expect(after.cost.baseline).toBe(before.cost.baseline);
    expect((await send('PUT', '/tariffs/bad', { id: 'bad' })).status).toBe(400);

    expect((await send('PUT', '/emission-factors/2015', { kgPerKwh: 0.525, source: 'MOEA 2016 announcement' })).status).toBe(200);
    const factors = await json<SavingsReport>(get(`/reports/savings?${h2017}`));
    expect(factors.emissions.factors[0]).toEqual({ year: 2015, factor: 0.525, factorYear: 2015, provisional: false });
    expect(factors.emissions.baselineKg).toBeCloseTo(12_572_309 * 0.525, 0);
  });

  it('exports CSV and an XLSX that a spreadsheet library reads back', async () => {
    const csv = await get(`/reports/savings?${h2017}&format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('本府各機關學校106年下半年用電量為1,253萬1,673度');

    const xlsx = await get(`/reports/savings?${h2017}&format=xlsx`);
    expect(xlsx.headers.get('content-disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const summary = workbook.getWorksheet('summary')!;
    const values = new Map<string, unknown>();
    summary.eachRow((row) => values.set(row.getCell(1).text, row.getCell(2).value));
    expect(values.get('本期用量')).toBe(12_531_673);
    expect(values.get('基期用量')).toBe(12_572_309);
    expect(workbook.getWorksheet('monthly')!.rowCount).toBe(2 + 6);
  });

  it('renders a PDF with the zh-TW text in an embedded CJK font, not blank', async () => {
    const response = await get(`/reports/savings?${h2017}&format=pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfFonts(pdf)).toMatch(/NotoSansCJK.*yes/);
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain('本府各機關學校106年下半年用電量為1,253萬1,673度');
    const page = renderPdfPage(pdf, 1);
    // An A4 page at 60 dpi is about 496 × 702 pixels; the title, sentence and bars ink a few percent of it.
    expect(page.inkPixels / (page.width * page.height)).toBeGreaterThan(0.02);
  });

  it('generates a report as a BullMQ job with progress, and serves the file when done', async () => {
    const accepted = await send('POST', '/reports', {
      site: SITE,
      from: '2017-07-01',
      to: '2018-01-01',
      baselineYear: 2015,
      format: 'pdf',
    });
    expect(accepted.status).toBe(202);
    const run = await json(accepted);
    expect(run).toMatchObject({ state: 'queued', requestedBy: 'HALLWATCH_API_TOKEN' });
    await eventually(async () => expect(await json(get(`/reports/${run.id}`))).toMatchObject({ state: 'done', progress: 100 }));
    const file = await get(`/reports/${run.id}/file`);
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('refuses unclear requests with a clear error', async () => {
    const noBaseline = await get(`/reports/savings?site=${SITE}&utility=water&from=2017-07-01&to=2018-01-01`);
    expect(noBaseline.status).toBe(400);
    expect((await json(noBaseline)).detail).toContain('baseline');
    expect((await get(`/reports/savings?site=nowhere&from=2017-07-01&to=2018-01-01&baselineYear=2015`)).status).toBe(404);
    expect((await get(`/reports/savings?site=${SITE}&from=2018-01-01&to=2017-07-01&baselineYear=2015`)).status).toBe(400);
    expect((await fetch(`${running.baseUrl}/api/v1/reports/savings?${h2017}`)).status).toBe(401);
  });

  it('produces a scheduled report for the month just ended and e-mails it', async () => {
    const schedule = await send('POST', '/reports/schedules', {
      params: { site: SITE, utility: 'electricity', baselineYear: 2015, format: 'xlsx', lang: 'zh-TW' },
      cadence: 'monthly',
      recipients: ['energy-officer@city.example'],
    });
    expect(schedule.status).toBe(201);
    // The hourly job runs with a controlled "today": the first of next month.
    const today = localDate(Date.now(), site.timezone);
    const next =
      today.slice(5, 7) === '12'
        ? `${Number(today.slice(0, 4)) + 1}-01-01`
        : `${today.slice(0, 5)}${String(Number(today.slice(5, 7)) + 1).padStart(2, '0')}-01`;
    const queue = running.app.get<Queue>(getQueueToken(QUEUES.reports));
    await queue.add('reports.due', { correlationId: 'test', today: next });
    await eventually(() => expect(smtp.messages).toHaveLength(1));
    expect(smtp.messages[0].to).toEqual(['energy-officer@city.example']);
    expect(smtp.messages[0].raw).toContain('.xlsx');
    // Running again sends nothing more: the month's report was made and mailed once.
    const again = await queue.add('reports.due', { correlationId: 'test-again', today: next });
    await eventually(async () => expect(await again.getState()).toBe('completed'));
    const runs = await json<ReportRun[]>(get('/reports'));
    expect(runs.filter((r) => r.scheduleId !== null)).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
  });
});
