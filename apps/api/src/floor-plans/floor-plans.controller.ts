import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Principal, Roles } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { FloorPlanInput, FloorPlansService } from './floor-plans.service';
import { MAX_SVG_BYTES } from './svg-plan';
import { Returns } from '../openapi/returns.decorator';
import { FLOOR_PLAN_EXAMPLE, floorPlan } from './floor-plans.contract';

const planBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid') }).strict(),
  z.object({ kind: z.literal('svg'), svg: z.string().min(1).max(MAX_SVG_BYTES) }).strict(),
]);

/** Floor plans: an uploaded SVG drawing per floor, or the zone grid the dashboard generates from the registry. */
@ApiTags('sites')
@ApiBearerAuth()
@Controller('sites/:site/floors/:floor/plan')
export class FloorPlansController {
  constructor(private readonly plans: FloorPlansService) {}

  @Get()
  @ApiOperation({
    summary: "A floor's plan: { kind: 'svg', svg } or { kind: 'grid' }; 404 when none was set (the dashboard draws the grid)",
  })
  @Returns(floorPlan, { example: FLOOR_PLAN_EXAMPLE })
  get(@Param('site') site: string, @Param('floor') floor: string): Promise<z.infer<typeof floorPlan>> {
    return this.plans.get(site, floor);
  }

  @Put()
  @Roles('engineer')
  @ApiOperation({
    summary: "Set a floor's plan: { kind: 'grid' } or { kind: 'svg', svg } (at most 96 KiB)",
    description:
      'Zones are the drawing elements with data-zone="<asset key>". Only drawing elements and attributes are accepted: scripts, event handlers, styles, foreign content, document types and references outside the drawing refuse the upload with 400.',
  })
  @Returns(floorPlan)
  put(
    @Param('site') site: string,
    @Param('floor') floor: string,
    @Body(new ZodPipe(planBody)) body: FloorPlanInput,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.plans.put(site, floor, body, who.name);
  }
}
