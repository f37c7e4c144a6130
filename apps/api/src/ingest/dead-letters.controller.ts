import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '@hallwatch/auth';
import { DeadLetterRepository, REJECT_REASONS } from '@hallwatch/readings';
import { ZodPipe } from '../zod-body.pipe';

const deadLettersQuery = z.object({
  reason: z.enum(REJECT_REASONS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('ingest/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterRepository) {}

  @Get()
  @Roles('engineer')
  @ApiOperation({ summary: 'What ingest refused, newest first, with the raw payload and the reason' })
  list(@Query(new ZodPipe(deadLettersQuery)) query: z.infer<typeof deadLettersQuery>) {
    return this.deadLetters.list(query);
  }
}
