import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@hallwatch/core';
import { Database } from '@hallwatch/db';
import { JobOutbox } from '@hallwatch/jobs';
import {
  ReportRenderer,
  ReportRunsRepository,
  ReportSchedule,
  SavingsRequest,
  PortfolioRequest,
  savingsRequestSchema,
  SavingsService,
} from '@hallwatch/savings';

@Injectable()
export class ReportsService {
  constructor(
    private readonly savingsService: SavingsService,
    private readonly renderer: ReportRenderer,
    private readonly runs: ReportRunsRepository,
    private readonly db: Database,
    private readonly outbox: JobOutbox,
  ) {}

  /** JSON comes back as an object; other formats as a file. */
  async savings(request: SavingsRequest) {
    const report = await this.savingsService.report(request);
    if (request.format === 'json') return { report, file: null };
    return { report, file: await this.renderer.render(report, request.format) };
  }

  /** A portfolio of sites, as JSON or a file. */
  async portfolio(request: PortfolioRequest) {
    const { sites, name, ...rest } = request;
    const report = await this.savingsService.portfolio(sites, name, rest);
    if (request.format === 'json') return { report, file: null };
    return { report, file: await this.renderer.render(report, request.format) };
  }

  async request(request: SavingsRequest, requestedBy: string) {
    const id = randomUUID();
    await this.savingsService.validate(request);
    // The run and its job commit together (the worker relays the outbox to BullMQ): no run is left queued forever.
    return this.db.transaction(async (tx) => {
      const run = await this.runs.create(id, request, requestedBy, null, tx);
      await this.outbox.add(tx, [{ name: 'reports.generate', data: { runId: id, correlationId: id }, key: id }]);
      return run;
    });
  }

  list() {
    return this.runs.list();
  }

  async get(id: string) {
    const run = await this.runs.find(id);
    if (!run) throw new DomainError('not-found', `No report run ${id}`);
    return run;
  }

  async file(id: string) {
    const run = await this.get(id);
    const file = await this.runs.file(id);
    if (!file)
      throw new DomainError('conflict', `Report run ${id} is ${run.state}${run.error ? `: ${run.error}` : ''}; its file is not ready`);
    return file;
  }

  schedules() {
    return this.runs.schedules();
  }

  async createSchedule(
    schedule: { params: Record<string, unknown>; cadence: ReportSchedule['cadence']; recipients: string[] },
    by: string,
  ) {
    // Validate the parameters as a request for some period; the schedule fills in from/to.
    const parsed = savingsRequestSchema.safeParse({ ...schedule.params, from: '2000-01-01', to: '2000-02-01' });
    if (!parsed.success)
      throw new DomainError('invalid-input', parsed.error.issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; '));
    await this.savingsService.validate(parsed.data);
    const params: Record<string, unknown> = { ...parsed.data };
    delete params.from;
    delete params.to;
    return this.runs.createSchedule(
      { params: params as ReportSchedule['params'], cadence: schedule.cadence, recipients: schedule.recipients },
      by,
    );
  }

  async disableSchedule(id: number) {
    if (!(await this.runs.disableSchedule(id))) throw new DomainError('not-found', `No report schedule ${id}`);
    return { id, enabled: false };
  }
}
