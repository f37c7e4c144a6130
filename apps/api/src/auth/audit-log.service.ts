import { Injectable } from '@nestjs/common';
import { AuditFilter, AuditListKey, AuditRecord, AuditRepository } from '@hallwatch/auth';
import { encodeCursor } from '../pagination/page-cursor';

/** The audit log as the API pages it. */
@Injectable()
export class AuditLogService {
  constructor(private readonly audit: AuditRepository) {}

  /** A page of records, newest first, and the cursor of the next page (null on the last). */
  async page(filter: AuditFilter & { after?: AuditListKey }): Promise<{ records: AuditRecord[]; next: string | null }> {
    const { records, next } = await this.audit.page(filter);
    return { records, next: next && encodeCursor('audit', next) };
  }
}
