import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditRepository, Roles } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { Returns } from '../openapi/returns.decorator';
import { AUDIT_EXAMPLE, auditRecord } from './auth.contract';

const auditQuery = z.object({
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});

@ApiTags('auth')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: 'The audit log, newest first: sign-ins and every change, with who, from where and what',
    description: "Filters: actor, action (or its start, e.g. 'PUT /api/v1/sites'), from, to (ISO 8601), limit.",
  })
  @Returns(z.array(auditRecord), { example: [AUDIT_EXAMPLE] })
  list(@Query(new ZodPipe(auditQuery)) query: z.infer<typeof auditQuery>) {
    return this.audit.list(query);
  }
}
