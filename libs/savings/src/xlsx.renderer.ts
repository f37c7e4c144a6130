import ExcelJS from 'exceljs';
import { ReportTable } from './report-tables';

/** A workbook with one sheet per table; numbers stay numbers so officers can sum and chart them. */
export async function renderXlsx(tables: ReportTable[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hallwatch';
  workbook.title = title;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.key);
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    if (table.columns.some((column) => column !== '')) sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.columns.forEach((column, index) => {
      const widths = table.rows.map((row) => String(row[index] ?? '').length).concat(String(table.columns[index] ?? '').length);
      column.width = Math.min(60, Math.max(10, ...widths) + 2);
      if (index > 0) column.numFmt = '#,##0.##';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
