import { Cell, ReportTable } from './report-tables';

const quote = (cell: Cell) => {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One CSV file with each table under its title, a blank line between; UTF-8 with a BOM so Excel reads the Chinese. */
export function renderCsv(tables: ReportTable[]): Buffer {
  const lines: string[] = [];
  for (const table of tables) {
    if (lines.length > 0) lines.push('');
    lines.push(quote(`# ${table.title}`));
    if (table.columns.some((column) => column !== '')) lines.push(table.columns.map(quote).join(','));
    for (const row of table.rows) lines.push(row.map(quote).join(','));
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
