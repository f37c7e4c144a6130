import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { BUCKETS } from '@hallwatch/domain';
import { ZodPipe } from '../zod-body.pipe';
import { ReadingsQuery, readingsQuery } from './readings.query';
import { ReadingsService } from './readings.service';
import { Returns } from '../openapi/returns.decorator';
import { READINGS_EXAMPLE, readingsAnswer } from './readings.contract';

@ApiTags('readings')
@ApiBearerAuth()
@Controller('sites/:site/assets/:asset/points/:point/readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @ApiOperation({
    summary: 'Readings of a point',
    description:
      "raw readings, or rollups (count, sum, mean, min, max, first, last) of buckets stamped at their start: 15 minutes on UTC quarter hours, hours and days on the site's clock in its time zone (docs/rollups.md)",
  })
  @ApiQuery({
    name: 'from',
    required: false,
    description:
      "ISO 8601 with an offset (2025-03-09T08:00:00+08:00), a date / date-time on the site's clock (2025-03-09, 2025-03-09T08:00), or epoch ms; default: 24 h before `to`",
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description: "as `from`, exclusive; a date is the site's midnight that starts it; default: now",
  })
  @ApiQuery({ name: 'bucket', required: false, enum: BUCKETS })
  @ApiQuery({
    name: 'unit',
    required: false,
    description:
      "answer in this unit instead of the point's (kWh for a meter in Wh, °F for a sensor in °C): converted on read; 400 when the units measure different things",
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description:
      'rows a page, at most 100,000 (default 10,000); when more exist, `truncated` is true and `next` is the cursor of the next page',
  })
  @Returns(readingsAnswer, { example: READINGS_EXAMPLE })
  list(
    @Param('site') site: string,
    @Param('asset') asset: string,
    @Param('point') point: string,
    @Query(new ZodPipe(readingsQuery)) query: ReadingsQuery,
  ) {
    return this.readings.forPoint(site, asset, point, query);
  }
}
