import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { DeadLetterRepository, RawRetention } from '@hallwatch/readings';
import { RegistryChanges } from '@hallwatch/registry';

/** Raw readings compress after this many days where TimescaleDB is present (as the server's policy says). */
const COMPRESS_AFTER_DAYS = 14;

/**
 * Keeps raw readings for RETENTION_RAW_DAYS, deleting only where the rollups are final
 * (RawRetention), on every backend; and compresses older chunks on the embedded TimescaleDB, which
 * runs no background jobs of its own. Dead letters last seen more than DEAD_LETTER_RETENTION_DAYS ago are deleted.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly retention: RawRetention,
    private readonly deadLetters: DeadLetterRepository,
    private readonly changes: RegistryChanges,
    private readonly config: AppConfig,
  ) {}

  /** Returns the number of raw readings deleted. */
  async enforce(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.get('RETENTION_RAW_DAYS') * 86_400_000);
    const deleted = await this.retention.purge(cutoff);
    if (deleted > 0) {
      this.logger.log(`retention: deleted ${deleted} raw readings older than ${cutoff.toISOString()}`);
      // Ingest instances reload the points' horizons with the registry, and refuse what is older.
      await this.changes.announce();
    }
    const letterCutoff = new Date(Date.now() - this.config.get('DEAD_LETTER_RETENTION_DAYS') * 86_400_000);
    const expired = await this.deadLetters.expire(letterCutoff);
    if (expired > 0) this.logger.log(`retention: deleted ${expired} dead letter(s) last seen before ${letterCutoff.toISOString()}`);
    const compressed = await this.retention.compress(COMPRESS_AFTER_DAYS);
    if (compressed > 0) this.logger.log(`retention: compressed ${compressed} chunk(s) of readings older than ${COMPRESS_AFTER_DAYS} days`);
    return deleted;
  }
}
