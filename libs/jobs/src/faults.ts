import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';

export type FaultPoint = 'crash-after-alert-commit' | 'crash-after-relay-enqueue' | 'crash-after-rule-state';

/**
 * Crash points for fault tests: HALLWATCH_FAULT names one, and the process dies there as if
 * killed. Honoured only when NODE_ENV=test.
 */
@Injectable()
export class Faults {
  private readonly logger = new Logger(Faults.name);

  constructor(private readonly config: AppConfig) {}

  crashAt(point: FaultPoint): void {
    if (this.config.get('NODE_ENV') !== 'test' || this.config.get('HALLWATCH_FAULT') !== point) return;
    this.logger.warn(`HALLWATCH_FAULT: crashing at ${point}`);
    process.kill(process.pid, 'SIGKILL');
  }
}
