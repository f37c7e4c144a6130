import PDFDocument from 'pdfkit';
import { label, utilityName } from './report-labels';
import { Cell, ReportTable } from './report-tables';
import { SavingsReport } from './savings-report';

const MARGIN = 48;
const COLOURS = { current: '#1f6feb', baseline: '#9aa4b2', model: '#d9480f', axis: '#555555', text: '#111111' };

type Doc = PDFKit.PDFDocument;

/**
 * An A4 report: the council sentence first, then monthly bars against the baseline, the baseline
 * model against the weather (normalised reports), and the tables. `fontPath` must hold CJK glyphs
 * (Noto Sans CJK); `fontFamily` picks the face inside a .ttc collection.
 */
export async function renderPdf(report: SavingsReport, tables: ReportTable[], font: { path: string; family?: string }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${label('title', report.lang)} ${report.site.name}`, Creator: 'Hallwatch' },
  });
  doc.registerFont('body', font.path, font.family);
  doc.font('body');
  const done = collect(doc);

  const lang = report.lang;
  doc
    .fillColor(COLOURS.text)
    .fontSize(18)
    .text(`${report.site.name} ${utilityName(report.utility, lang)}${label('title', lang)}`);
  doc
    .fontSize(11)
    .fillColor(COLOURS.axis)
    .text(`${label('period', lang)}: ${report.period.label}    ${label('baseline', lang)}: ${report.baseline.label}`);
  doc.moveDown(0.8).fillColor(COLOURS.text).fontSize(13).text(report.summary, { lineGap: 4 });
  doc.moveDown(0.8);

  drawMonthlyBars(doc, report);
  for (const table of tables) {
    if (table.key === 'days' || table.rows.length === 0) continue;
    if (table.key === 'model') drawModelScatter(doc, report);
    drawTable(doc, table);
  }
  doc.end();
  return done;
}

function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function chartFrame(doc: Doc, title: string, height: number) {
  ensureRoom(doc, height + 60);
  doc.moveDown(0.8).fontSize(12).fillColor(COLOURS.text).text(title);
  const top = doc.y + 6;
  const left = MARGIN + 50;
  const width = doc.page.width - MARGIN * 2 - 60;
  return { top, left, width, height, bottom: top + height };
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

function drawAxes(doc: Doc, frame: ReturnType<typeof chartFrame>, yMin: number, yMax: number): void {
  doc.strokeColor(COLOURS.axis).lineWidth(0.5);
  doc
    .moveTo(frame.left, frame.top)
    .lineTo(frame.left, frame.bottom)
    .lineTo(frame.left + frame.width, frame.bottom)
    .stroke();
  doc.fontSize(7).fillColor(COLOURS.axis);
  for (let i = 0; i <= 4; i += 1) {
    const value = yMin + ((yMax - yMin) * i) / 4;
    const y = frame.bottom - (frame.height * i) / 4;
    doc.text(Math.round(value).toLocaleString('en-US'), MARGIN - 4, y - 4, { width: 50, align: 'right' });
  }
}

function drawMonthlyBars(doc: Doc, report: SavingsReport): void {
  const frame = chartFrame(doc, `${label('monthly', report.lang)} (${report.unit})`, 170);
  const months = report.months;
  const max = niceMax(Math.max(1, ...months.flatMap((m) => [m.current, m.baseline])));
  drawAxes(doc, frame, 0, max);
  const slot = frame.width / Math.max(1, months.length);
  const bar = Math.min(18, slot / 3);
  months.forEach((m, i) => {
    const x = frame.left + i * slot + slot / 2 - bar;
    const h = (v: number) => (Number.isFinite(v) ? (frame.height * Math.max(0, v)) / max : 0);
    doc.rect(x, frame.bottom - h(m.baseline), bar, h(m.baseline)).fill(COLOURS.baseline);
    doc.rect(x + bar, frame.bottom - h(m.current), bar, h(m.current)).fill(COLOURS.current);
    doc
      .fontSize(7)
      .fillColor(COLOURS.axis)
      .text(
        report.lang === 'zh-TW' ? `${Number(m.month.slice(0, 4)) - 1911}/${m.month.slice(5)}` : m.month.slice(2),
        x - 4,
        frame.bottom + 3,
        { width: bar * 2 + 8, align: 'center' },
      );
  });
  legend(doc, frame, [
    [COLOURS.baseline, label('baselineUse', report.lang)],
    [COLOURS.current, label('current', report.lang)],
  ]);
  doc.x = MARGIN;
  doc.y = frame.bottom + 30;
}

function drawModelScatter(doc: Doc, report: SavingsReport): void {
  const n = report.normalised!;
  const frame = chartFrame(
    doc,
    `${label('model', report.lang)}: ${label('dailyUse', report.lang)} / ${label('temperature', report.lang)}`,
    220,
  );
  const points = n.days;
  const all = [...n.baselineDays, ...points];
  const temps = all.map((p) => p.temperatureC);
  const uses = all.flatMap((p) => [p.actual, p.predicted]);
  const tMin = Math.floor(Math.min(...temps, 10));
  const tMax = Math.ceil(Math.max(...temps, 30));
  const yMax = niceMax(Math.max(1, ...uses));
  drawAxes(doc, frame, 0, yMax);
  const x = (t: number) => frame.left + ((t - tMin) / (tMax - tMin || 1)) * frame.width;
  const y = (v: number) => frame.bottom - (frame.height * Math.max(0, v)) / yMax;
  for (const p of n.baselineDays) doc.circle(x(p.temperatureC), y(p.actual), 1.4).fill(COLOURS.baseline);
  for (const p of points) doc.circle(x(p.temperatureC), y(p.actual), 1.4).fill(COLOURS.current);
  const model = n.model;
  const predict = (t: number) =>
    model.intercept +
    model.coolingSlope * Math.max(0, t - (model.coolingBalanceC ?? Infinity)) +
    model.heatingSlope * Math.max(0, (model.heatingBalanceC ?? -Infinity) - t);
  doc.strokeColor(COLOURS.model).lineWidth(1.5);
  for (let t = tMin; t <= tMax; t += 0.5) {
    if (t === tMin) doc.moveTo(x(t), y(predict(t)));
    else doc.lineTo(x(t), y(predict(t)));
  }
  doc.stroke();
  doc.fontSize(7).fillColor(COLOURS.axis);
  for (let t = tMin; t <= tMax; t += 5) doc.text(`${t}°C`, x(t) - 10, frame.bottom + 3, { width: 20, align: 'center' });
  legend(doc, frame, [
    [COLOURS.baseline, label('baselineUse', report.lang)],
    [COLOURS.current, label('current', report.lang)],
    [COLOURS.model, label('model', report.lang)],
  ]);
  doc.x = MARGIN;
  doc.y = frame.bottom + 30;
}

function legend(doc: Doc, frame: ReturnType<typeof chartFrame>, entries: [string, string][]): void {
  let x = frame.left + frame.width - entries.length * 90;
  for (const [colour, text] of entries) {
    doc.rect(x, frame.top, 8, 8).fill(colour);
    doc
      .fontSize(8)
      .fillColor(COLOURS.text)
      .text(text, x + 11, frame.top - 1, { width: 80 });
    x += 90;
  }
}

function cellText(cell: Cell): string {
  if (cell === null) return '–';
  return typeof cell === 'number' ? cell.toLocaleString('en-US', { maximumFractionDigits: 3 }) : cell;
}

function drawTable(doc: Doc, table: ReportTable): void {
  ensureRoom(doc, 60);
  doc.moveDown(0.6).fontSize(12).fillColor(COLOURS.text).text(table.title, MARGIN);
  doc.moveDown(0.3);
  const width = doc.page.width - MARGIN * 2;
  const columns = Math.max(table.columns.length, ...table.rows.map((row) => row.length));
  const first = columns === 2 ? width * 0.42 : width / columns;
  const rest = columns === 1 ? width : (width - first) / (columns - 1);
  const widths = Array.from({ length: columns }, (_, i) => (i === 0 ? first : rest));
  const row = (cells: Cell[], bold: boolean) => {
    doc.fontSize(bold ? 8.5 : 8).fillColor(bold ? COLOURS.axis : COLOURS.text);
    const heights = cells.map((cell, i) => doc.heightOfString(cellText(cell), { width: widths[i] - 4 }));
    const height = Math.max(10, ...heights) + 3;
    ensureRoom(doc, height);
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cellText(cell), x, top, { width: widths[i] - 4, align: typeof cell === 'number' ? 'right' : 'left' });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = top + height;
  };
  if (table.columns.some((column) => column !== '')) row(table.columns, true);
  for (const cells of table.rows) row(cells, false);
}
