import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { instantParameter } from '../time-query';
import { cursorParameter, cursorParts, limitParameter } from '../pagination/page-cursor';
import { linkNextPage, NEXT_LINK_HEADER } from '../pagination/next-link';
import { Returns } from '../openapi/returns.decorator';
import { AUDIT_EXAMPLE, auditRecord } from './auth.contract';
import { AuditLogService } from './audit-log.service';

const auditQuery = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  from: instantParameter.optional(),
  to: instantParameter.optional(),
  limit: limitParameter(200, 5000),
  cursor: cursorParameter('audit', cursorParts.epoch, cursorParts.id).optional(),
});

@ApiTags('auth')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: 'The audit log, newest first: sign-ins and every change, with who, from where and what',
    description:
      "Filters: actor, action (or its start, e.g. 'PUT /api/v1/sites'), from, to (ISO 8601 with an offset), limit; the `Link` header leads to the next page.",
  })
  @Returns(z.array(auditRecord), { example: [AUDIT_EXAMPLE], headers: NEXT_LINK_HEADER })
  async list(
    @Query(new ZodPipe(auditQuery)) { cursor, ...query }: z.infer<typeof auditQuery>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { records, next } = await this.audit.page({ ...query, after: cursor });
    linkNextPage(request, response, next);
    return records;
  }
}
