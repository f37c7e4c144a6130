import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllSites, CurrentPrincipal, Principal, Roles } from '@hallwatch/auth';
import { TariffVersion, tariffVersionSchema } from '@hallwatch/calc';
import { savingsDate } from '@hallwatch/savings';
import { ZodPipe } from '../zod-body.pipe';
import { SavingsAnnotationsService } from './savings-annotations.service';
import { Returns } from '../openapi/returns.decorator';
import {
  adjustment,
  ADJUSTMENT_EXAMPLE,
  emissionFactors,
  measure,
  MEASURE_EXAMPLE,
  retired,
  target,
  TARGET_EXAMPLE,
  tariffVersions,
} from './savings.contract';

const isoDate = savingsDate;
const utility = z.enum(['electricity', 'water', 'fuel']);
const adjustmentBody = z
  .object({
    utility,
    kind: z.enum(['amount', 'exclude']),
    startsOn: isoDate,
    endsOn: isoDate,
    amount: z.number().finite().nullable().default(null),
    reason: z.string().trim().min(1, 'say why: the reason is printed beside the numbers'),
  })
  .refine((a) => a.startsOn < a.endsOn, { message: 'startsOn must be before endsOn', path: ['startsOn'] })
  .refine((a) => (a.kind === 'amount') === (a.amount !== null), {
    message: 'an amount adjustment needs an amount; an exclusion has none',
    path: ['amount'],
  });
const measureBody = z.object({
  utility,
  name: z.string().trim().min(1),
  installedOn: isoDate,
  estimatedPerYear: z.number().finite(),
  estimatedNtdPerYear: z.number().finite().nullable().default(null),
  note: z.string().nullable().default(null),
});
const targetBody = z.object({
  baselineYear: z.number().int().min(1990).max(2100),
  annualReductionPct: z.number().min(0).max(100).default(1),
});
const utilityQuery = z.object({ utility: utility.optional(), includeRetired: z.enum(['true', 'false']).default('false') });
const factorBody = z.object({ kgPerKwh: z.number().positive().max(5), source: z.string().trim().min(1) });

/** What energy officers add to the measured numbers; every entry records who made it and when. */
@ApiTags('savings')
@ApiBearerAuth()
@Controller()
export class SavingsController {
  constructor(private readonly annotations: SavingsAnnotationsService) {}

  @Get('sites/:site/savings/adjustments')
  @ApiOperation({ summary: 'Non-routine adjustments (amounts added to the baseline, or days excluded), with who entered them' })
  @Returns(z.array(adjustment), { example: [ADJUSTMENT_EXAMPLE] })
  adjustments(
    @Param('site') site: string,
    @Query(new ZodPipe(utilityQuery)) query: z.infer<typeof utilityQuery>,
  ): Promise<Array<z.infer<typeof adjustment>>> {
    return this.annotations.adjustments(site, query.utility, query.includeRetired === 'true');
  }

  @Post('sites/:site/savings/adjustments')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Add a non-routine adjustment: staff moved in, an event, a renovation' })
  @Returns(adjustment)
  addAdjustment(
    @Param('site') site: string,
    @Body(new ZodPipe(adjustmentBody)) body: z.infer<typeof adjustmentBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.annotations.addAdjustment(site, body, who.name);
  }

  @Delete('sites/:site/savings/adjustments/:id')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Retire an adjustment (it stays in the history)' })
  @Returns(retired)
  retireAdjustment(@Param('site') site: string, @Param('id', ParseIntPipe) id: number, @CurrentPrincipal() who: Principal) {
    return this.annotations.retireAdjustment(site, id, who.name);
  }

  @Get('sites/:site/savings/measures')
  @ApiOperation({ summary: 'Savings measures with their estimated yearly effect' })
  @Returns(z.array(measure), { example: [MEASURE_EXAMPLE] })
  measures(
    @Param('site') site: string,
    @Query(new ZodPipe(utilityQuery)) query: z.infer<typeof utilityQuery>,
  ): Promise<Array<z.infer<typeof measure>>> {
    return this.annotations.measures(site, query.utility, query.includeRetired === 'true');
  }

  @Post('sites/:site/savings/measures')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Add a savings measure, e.g. an LED retrofit: estimated kWh and NT$ a year' })
  @Returns(measure)
  addMeasure(
    @Param('site') site: string,
    @Body(new ZodPipe(measureBody)) body: z.infer<typeof measureBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.annotations.addMeasure(site, body, who.name);
  }

  @Delete('sites/:site/savings/measures/:id')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Retire a measure (it stays in the history)' })
  @Returns(retired)
  retireMeasure(@Param('site') site: string, @Param('id', ParseIntPipe) id: number, @CurrentPrincipal() who: Principal) {
    return this.annotations.retireMeasure(site, id, who.name);
  }

  @Get('sites/:site/savings/targets/:utility')
  @ApiOperation({ summary: 'The saving target: baseline year and yearly reduction (1% by default)' })
  @Returns(target, { example: TARGET_EXAMPLE })
  target(@Param('site') site: string, @Param('utility', new ZodPipe(utility)) which: z.infer<typeof utility>) {
    return this.annotations.target(site, which);
  }

  @Put('sites/:site/savings/targets/:utility')
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Set the saving target (older targets stay as history)' })
  @Returns(target)
  setTarget(
    @Param('site') site: string,
    @Param('utility', new ZodPipe(utility)) which: z.infer<typeof utility>,
    @Body(new ZodPipe(targetBody)) body: z.infer<typeof targetBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.annotations.setTarget(site, which, body.baselineYear, body.annualReductionPct, who.name);
  }

  @Get('emission-factors')
  @ApiOperation({ summary: 'Grid emission factors (kgCO2e/kWh) by year: the built-in table and any published overrides' })
  @Returns(emissionFactors)
  emissionFactors(): Promise<z.infer<typeof emissionFactors>> {
    return this.annotations.emissionFactors();
  }

  @Put('emission-factors/:year')
  @AllSites()
  @Roles('energy-officer')
  @ApiOperation({ summary: "Enter a year's published grid emission factor" })
  @Returns(emissionFactors)
  setEmissionFactor(
    @Param('year', ParseIntPipe) year: number,
    @Body(new ZodPipe(factorBody)) body: z.infer<typeof factorBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.annotations.setEmissionFactor(year, body.kgPerKwh, body.source, who.name);
  }

  @Get('tariffs')
  @ApiOperation({ summary: 'Electricity tariff versions in force by date: the built-in Taipower tables and any entered ones' })
  @Returns(tariffVersions)
  tariffs() {
    return this.annotations.tariffs();
  }

  @Put('tariffs/:id')
  @AllSites()
  @Roles('energy-officer')
  @ApiOperation({ summary: 'Enter or replace a tariff version (same shape as GET /tariffs returns)' })
  @Returns(tariffVersions)
  putTariff(@Param('id') id: string, @Body(new ZodPipe(tariffVersionSchema)) body: TariffVersion, @CurrentPrincipal() who: Principal) {
    return this.annotations.putTariff({ ...body, id }, who.name);
  }
}
