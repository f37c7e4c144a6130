import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllSites, CurrentPrincipal, Principal, Roles, ScopedList, SiteOf } from '@hallwatch/auth';
import {
  PortfolioRequest,
  portfolioRequestSchema,
  RenderedReport,
  ReportRun,
  ReportSchedule,
  savingsRequestSchema,
} from '@hallwatch/savings';
import { ApiPortfolioQuery, ApiSavingsQuery } from '../savings/savings-query.docs';
import { ZodPipe } from '../zod-body.pipe';
import { ReportsService } from './reports.service';
import { Returns } from '../openapi/returns.decorator';
import { disabledSchedule, portfolioReport, reportRun, reportSchedule, savingsReport } from './reports.contract';

const scheduleBody = z.object({
  params: z.object({}).passthrough(),
  cadence: z.enum(['monthly', 'half-yearly']),
  recipients: z.array(z.string().email()).default([]),
});

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('savings')
  @ApiOperation({
    summary: 'Savings against a baseline (same-period or weather-normalised) as JSON, CSV, XLSX or PDF, in zh-TW or English',
    description:
      "Query: site, utility (electricity|water|fuel), from, to (dates on the site's calendar in its time zone, `to` exclusive), baselineYear or baselineFrom/baselineTo, method (same-period|normalised), alignment (same-dates|same-weekdays), confidence, format, lang.",
  })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiSavingsQuery()
  @Returns(savingsReport, { description: 'The report as JSON, or its file in the format asked for' })
  async savings(@Query(new ZodPipe(savingsRequestSchema)) query: z.infer<typeof savingsRequestSchema>) {
    return reportOrFile(await this.reports.savings(query));
  }

  @Get('savings/portfolio')
  @AllSites()
  @ApiOperation({ summary: "Several sites' savings summed (本府各機關學校): the council sentence for the whole, a line and KPIs per site" })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  @ApiPortfolioQuery()
  @Returns(portfolioReport, { description: 'The report as JSON, or its file in the format asked for' })
  async portfolio(@Query(new ZodPipe(portfolioRequestSchema)) query: PortfolioRequest) {
    return reportOrFile(await this.reports.portfolio(query));
  }

  @Post()
  @HttpCode(202)
  @Roles('energy-officer', 'engineer')
  @ApiOperation({ summary: 'Generate a savings report in the background (a BullMQ job); poll GET /reports/{id}, then download its file' })
  @Returns(reportRun, { description: 'The queued run' })
  request(@Body(new ZodPipe(savingsRequestSchema)) body: z.infer<typeof savingsRequestSchema>, @CurrentPrincipal() principal: Principal) {
    return this.reports.request(body, principal.name);
  }

  @Get()
  @ScopedList<ReportRun>((run) => run.params.site)
  @ApiOperation({ summary: 'Recent report runs with their state and progress' })
  @Returns(z.array(reportRun))
  list() {
    return this.reports.list();
  }

  @Get('schedules')
  @ScopedList<ReportSchedule>((schedule) => schedule.params.site)
  @ApiOperation({ summary: 'Report schedules' })
  @Returns(z.array(reportSchedule))
  schedules() {
    return this.reports.schedules();
  }

  @Post('schedules')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Produce a report every month or half-year, for the period just ended, and e-mail it' })
  @Returns(reportSchedule)
  createSchedule(@Body(new ZodPipe(scheduleBody)) body: z.infer<typeof scheduleBody>, @CurrentPrincipal() principal: Principal) {
    return this.reports.createSchedule(body, principal.name);
  }

  @Delete('schedules/:id')
  @SiteOf('report-schedule')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Stop a schedule (its reports stay)' })
  @Returns(disabledSchedule)
  disableSchedule(@Param('id', ParseIntPipe) id: number) {
    return this.reports.disableSchedule(id);
  }

  @Get(':id')
  @SiteOf('report-run')
  @ApiOperation({ summary: 'A report run: state (queued, running, done, failed), progress, error' })
  @Returns(reportRun)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.get(id);
  }

  @Get(':id/file')
  @SiteOf('report-run')
  @ApiOperation({ summary: "Download a finished report run's file" })
  @Returns(null, { description: "The run's file (CSV, XLSX or PDF)", errors: [409] })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  async file(@Param('id', ParseUUIDPipe) id: string) {
    return attachment(await this.reports.file(id));
  }
}

/** JSON when no file format was asked for; the rendered file otherwise. */
function reportOrFile<Report>({ report, file }: { report: Report; file: RenderedReport | null }): Report | StreamableFile {
  return file ? attachment(file) : report;
}

function attachment(file: RenderedReport): StreamableFile {
  return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.fileName}"` });
}
