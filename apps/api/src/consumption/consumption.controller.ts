import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { UTILITIES } from '@hallwatch/readings';
import { timeRangeQuery } from '../readings/readings.query';
import { ZodPipe } from '../zod-body.pipe';
import { ConsumptionService } from './consumption.service';

const consumptionQuery = timeRangeQuery({ utility: z.enum(UTILITIES), bucket: z.enum(['15m', '1h', '1d']).default('1h') });
const demandQuery = timeRangeQuery({});

@ApiTags('consumption')
@ApiBearerAuth()
@Controller('sites/:site')
export class ConsumptionController {
  constructor(private readonly consumption: ConsumptionService) {}

  @Get('consumption')
  @ApiOperation({ summary: "A site's electricity (kWh), water (m³) or fuel (L) per bucket, from its main meters' registers" })
  @ApiQuery({ name: 'utility', enum: UTILITIES })
  @ApiQuery({ name: 'bucket', enum: ['15m', '1h', '1d'], required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  get(@Param('site') site: string, @Query(new ZodPipe(consumptionQuery)) query: z.infer<typeof consumptionQuery>) {
    return this.consumption.forSite(site, query.utility, query.bucket, query.from, query.to);
  }

  @Get('demand')
  @ApiOperation({ summary: '15-minute demand of the main incomer (as the utility bills it), its maximum, and the contract capacity' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  demand(@Param('site') site: string, @Query(new ZodPipe(demandQuery)) query: z.infer<typeof demandQuery>) {
    return this.consumption.demand(site, query.from, query.to);
  }
}
