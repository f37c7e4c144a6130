import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { UTILITIES } from '@hallwatch/readings';
import { timeParameter, timeRangeQuery } from '../time-query';
import { ZodPipe } from '../zod-body.pipe';
import { ConsumptionService } from './consumption.service';
import { OverviewService } from './overview.service';
import { Returns } from '../openapi/returns.decorator';
import { CONSUMPTION_EXAMPLE, consumptionAnswer, DEMAND_EXAMPLE, demandAnswer, overviewAnswer } from './consumption.contract';

const consumptionQuery = timeRangeQuery({ utility: z.enum(UTILITIES), bucket: z.enum(['15m', '1h', '1d']).default('1h') });
const demandQuery = timeRangeQuery({});
const overviewQuery = z.object({ at: timeParameter.optional() });
const TIME =
  "ISO 8601 with an offset (2025-03-09T08:00:00+08:00), a date / date-time on the site's clock (2025-03-09, 2025-03-09T08:00), or epoch ms";

@ApiTags('consumption')
@ApiBearerAuth()
@Controller('sites/:site')
export class ConsumptionController {
  constructor(
    private readonly consumption: ConsumptionService,
    private readonly overviews: OverviewService,
  ) {}

  @Get('consumption')
  @ApiOperation({
    summary: "A site's electricity (kWh), water (m³) or fuel (L) per bucket, from its main meters' registers",
    description: "Hours and days are the site's own, in its time zone: a `1d` bucket starts at its local midnight.",
  })
  @ApiQuery({ name: 'utility', enum: UTILITIES })
  @ApiQuery({ name: 'bucket', enum: ['15m', '1h', '1d'], required: false })
  @ApiQuery({ name: 'from', required: false, description: `${TIME}; default: 24 h before \`to\`` })
  @ApiQuery({ name: 'to', required: false, description: `${TIME}, exclusive; default: now` })
  @Returns(consumptionAnswer, { example: CONSUMPTION_EXAMPLE })
  get(@Param('site') site: string, @Query(new ZodPipe(consumptionQuery)) query: z.infer<typeof consumptionQuery>) {
    return this.consumption.forSite(site, query.utility, query.bucket, query);
  }

  @Get('demand')
  @ApiOperation({ summary: '15-minute demand of the main incomer (as the utility bills it), its maximum, and the contract capacity' })
  @ApiQuery({ name: 'from', required: false, description: TIME })
  @ApiQuery({ name: 'to', required: false, description: `${TIME}, exclusive` })
  @Returns(demandAnswer, { example: DEMAND_EXAMPLE })
  demand(@Param('site') site: string, @Query(new ZodPipe(demandQuery)) query: z.infer<typeof demandQuery>) {
    return this.consumption.demand(site, query);
  }

  @Get('overview')
  @ApiOperation({
    summary:
      "Today's energy against yesterday and the baseline weekday up to the same time of day, and the running 15-minute demand with its forecast",
    description:
      "From the main meter's 15-minute rollups, in the site's time zone. Demand is a quarter hour's kWh × 4; the forecast adds the present load (the main meter's kW) for the rest of the quarter.",
  })
  @ApiQuery({ name: 'at', required: false, description: `${TIME}; default: now` })
  @Returns(overviewAnswer)
  overview(@Param('site') site: string, @Query(new ZodPipe(overviewQuery)) query: z.infer<typeof overviewQuery>) {
    return this.overviews.overview(site, query.at);
  }
}
