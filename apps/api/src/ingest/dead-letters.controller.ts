import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllSites, Roles } from '@hallwatch/auth';
import { REJECT_REASONS } from '@hallwatch/readings';
import { ZodPipe } from '../zod-body.pipe';
import { limitParameter } from '../pagination/page-cursor';
import { deadLetterCursor } from './dead-letter-cursor';
import { DeadLetterReplay } from './dead-letter-replay.service';
import { DeadLettersService } from './dead-letters.service';
import { Returns } from '../openapi/returns.decorator';
import { DEAD_LETTERS_EXAMPLE, deadLetterPage, deadLetterSummary, ledger, replayResult } from './ingest.contract';

const deadLettersQuery = z.object({
  reason: z.enum(REJECT_REASONS).optional(),
  limit: limitParameter(100, 1000),
  cursor: deadLetterCursor.optional(),
});
const replayQuery = z.object({
  reason: z.enum(REJECT_REASONS),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

@ApiTags('ingest')
@ApiBearerAuth()
@AllSites()
@Controller('ingest')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly replays: DeadLetterReplay,
  ) {}

  @Get('dead-letters')
  @Roles('engineer')
  @ApiOperation({
    summary: 'What ingest refused, newest first, with the payload (up to a size) and the reason; `next` is the cursor of the next page',
  })
  @Returns(deadLetterPage, { example: DEAD_LETTERS_EXAMPLE })
  list(@Query(new ZodPipe(deadLettersQuery)) { cursor, ...query }: z.infer<typeof deadLettersQuery>) {
    return this.deadLetters.page({ ...query, after: cursor });
  }

  @Get('dead-letters/summary')
  @Roles('engineer')
  @ApiOperation({ summary: 'Per source and reason: dead-letter rows, the rejections they hold, and those only counted (over the cap)' })
  @Returns(deadLetterSummary)
  summary() {
    return this.deadLetters.summary();
  }

  @Post('dead-letters/replay')
  @HttpCode(200)
  @Roles('engineer')
  @ApiOperation({ summary: 'Replay the pending dead letters of a reason (after registering the missing points, say)' })
  @Returns(replayResult)
  replayAll(@Query(new ZodPipe(replayQuery)) query: z.infer<typeof replayQuery>) {
    return this.replays.replay(query);
  }

  @Post('dead-letters/:id/replay')
  @HttpCode(200)
  @Roles('engineer')
  @ApiOperation({ summary: 'Replay one dead letter' })
  @Returns(replayResult)
  replayOne(@Param('id', new ZodPipe(z.string().regex(/^\d+$/, 'a dead letter id'))) id: string) {
    return this.replays.replay({ id, limit: 1 });
  }

  @Get('ledger')
  @Roles('engineer')
  @ApiOperation({ summary: 'The loss ledger per source: received = stored + duplicate + rejected by reason; late readings; last seen' })
  @Returns(ledger)
  ledger() {
    return this.deadLetters.ledger();
  }
}
