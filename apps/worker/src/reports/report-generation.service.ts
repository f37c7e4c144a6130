import { Injectable, Logger } from '@nestjs/common';
import { ReportRenderer, ReportRunsRepository, SavingsService, savingsRequestSchema } from '@hallwatch/savings';

/** Renders a requested report run, reporting progress into the run's row. */
@Injectable()
export class ReportGeneration {
  private readonly logger = new Logger(ReportGeneration.name);

  constructor(
    private readonly runs: ReportRunsRepository,
    private readonly savings: SavingsService,
    private readonly renderer: ReportRenderer,
  ) {}

  /** Returns the run's file name, or throws (the caller decides whether a retry may help). */
  async generate(runId: string, onProgress: (percent: number) => Promise<void>): Promise<{ fileName: string; bytes: number }> {
    const run = await this.runs.find(runId);
    if (!run) throw new RunNotFound(runId);
    const request = savingsRequestSchema.parse(run.params);
    const progress = async (percent: number) => {
      await this.runs.progress(runId, 'running', percent);
      await onProgress(percent);
    };
    await progress(5);
    const report = await this.savings.report(request, progress);
    const file = await this.renderer.render(report, request.format);
    await this.runs.finish(runId, file);
    await onProgress(100);
    this.logger.log(`report ${runId} done: ${file.fileName} (${file.content.length} bytes)`);
    return { fileName: file.fileName, bytes: file.content.length };
  }

  async fail(runId: string, error: Error): Promise<void> {
    await this.runs.fail(runId, error.message);
  }
}

export class RunNotFound extends Error {
  constructor(runId: string) {
    super(`no report run ${runId}`);
  }
}
