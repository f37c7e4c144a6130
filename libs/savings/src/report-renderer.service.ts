import { Injectable } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { renderCsv } from './csv.renderer';
import { renderPdf } from './pdf.renderer';
import { utilityName } from './report-labels';
import { PortfolioReport, portfolioTables } from './portfolio-report';
import { reportTables } from './report-tables';
import { ReportFormat } from './savings-request';
import { SavingsReport } from './savings-report';
import { renderXlsx } from './xlsx.renderer';

export interface RenderedReport {
  fileName: string;
  contentType: string;
  content: Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Turns a savings report into the file an officer downloads. */
@Injectable()
export class ReportRenderer {
  constructor(private readonly config: AppConfig) {}

  async render(report: SavingsReport | PortfolioReport, format: ReportFormat): Promise<RenderedReport> {
    const key = 'portfolio' in report ? 'portfolio' : report.site.key;
    const fileName = `hallwatch-${key}-${report.utility}-${report.period.from}-${report.period.to}.${format}`;
    const tables = 'portfolio' in report ? portfolioTables(report) : reportTables(report);
    const title = `${report.site.name} ${utilityName(report.utility, report.lang)} ${report.period.label}`;
    const content =
      format === 'json'
        ? Buffer.from(JSON.stringify(report, null, 2))
        : format === 'csv'
          ? renderCsv(tables)
          : format === 'xlsx'
            ? await renderXlsx(tables, title)
            : await renderPdf(report, tables, { path: this.config.get('REPORT_FONT_PATH'), family: this.config.get('REPORT_FONT_FAMILY') });
    return { fileName, contentType: CONTENT_TYPES[format], content };
  }
}
