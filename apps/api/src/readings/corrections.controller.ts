import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Principal, Roles } from '@hallwatch/auth';
import { Returns } from '../openapi/returns.decorator';
import { ZodPipe } from '../zod-body.pipe';
import { CORRECTION_EXAMPLE, CorrectionBody, correctionBody, correctionsQuery, readingCorrection } from './corrections.contract';
import { ReadingsService } from './readings.service';

@ApiTags('readings')
@ApiBearerAuth()
@Controller('sites/:site/assets/:asset/points/:point/readings/corrections')
export class CorrectionsController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @ApiOperation({ summary: "A point's corrected and voided readings, newest first, each with the value it had" })
  @Returns(z.array(readingCorrection), { example: [CORRECTION_EXAMPLE] })
  list(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Query(new ZodPipe(correctionsQuery)) query: z.infer<typeof correctionsQuery>,
  ) {
    return this.readings.corrections(site, asset, point, query.limit);
  }

  @Post()
  @Roles('engineer', 'energy-officer')
  @ApiOperation({
    summary: 'Correct or void a stored reading',
    description:
      'The original is kept (GET lists it), the change is audited, and the rollups, consumption and derived points follow. A voided reading stays void when the device sends it again.',
  })
  @Returns(readingCorrection, { example: CORRECTION_EXAMPLE })
  correct(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Body(new ZodPipe(correctionBody)) body: CorrectionBody,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.readings.correct(site, asset, point, body, who.name);
  }
}
