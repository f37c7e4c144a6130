import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { StoredRule } from '@hallwatch/alerts';
import { CurrentPrincipal, Principal, Roles, ScopedList, SiteOf } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { AlertRulesService } from './alert-rules.service';
import { Returns } from '../openapi/returns.decorator';
import { RULE_EXAMPLE, ruleBody, starterPackAnswer, storedRule } from './alerts.contract';

const enabledQuery = z.object({ enabled: z.enum(['true', 'false']).default('true') });

/** Alert rules per site: threshold, rate of change, no data, demand forecast, all/any, schedules. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get('alert-rules')
  @ScopedList<StoredRule>((stored) => stored.rule.site)
  @ApiOperation({ summary: 'Every alert rule, with whether it is enabled and who changed it last' })
  @Returns(z.array(storedRule), { example: [RULE_EXAMPLE] })
  all() {
    return this.rules.list();
  }

  @Get('sites/:site/alert-rules')
  @ApiOperation({ summary: "A site's alert rules" })
  @Returns(z.array(storedRule), { example: [RULE_EXAMPLE] })
  ofSite(@Param('site') site: string) {
    return this.rules.list(site);
  }

  @Get('sites/:site/alert-rules/:id')
  @SiteOf('alert-rule')
  @ApiOperation({ summary: 'One alert rule' })
  @Returns(storedRule, { example: RULE_EXAMPLE })
  get(@Param('id') id: string) {
    return this.rules.get(id);
  }

  @Put('sites/:site/alert-rules/:id')
  @SiteOf('alert-rule')
  @Roles('engineer')
  @ApiOperation({
    summary: 'Create or replace a rule; ?enabled=false stores it switched off',
    description:
      'Body: { name, severity (P1-P4), target, condition, schedule?, message? }. Conditions: threshold {point, above|below, forSeconds, hysteresis}, rate-of-change, no-data {point, seconds}, demand-forecast, all/any {conditions}.',
  })
  @Returns(storedRule, { example: RULE_EXAMPLE })
  put(
    @Param('site') site: string,
    @Param('id') id: string,
    @Body(new ZodPipe(ruleBody)) body: z.infer<typeof ruleBody>,
    @Query(new ZodPipe(enabledQuery)) query: z.infer<typeof enabledQuery>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.rules.put(site, id, body, query.enabled === 'true', who.name);
  }

  @Delete('sites/:site/alert-rules/:id')
  @SiteOf('alert-rule')
  @HttpCode(204)
  @Roles('engineer')
  @ApiOperation({ summary: 'Delete a rule (its alerts and their history stay)' })
  remove(@Param('id') id: string) {
    return this.rules.remove(id);
  }

  @Post('sites/:site/alert-rules/starter-pack')
  @Roles('engineer')
  @ApiOperation({ summary: 'Enable the city-hall starter pack for the site, derived from its registry' })
  @Returns(starterPackAnswer)
  starterPack(@Param('site') site: string) {
    return this.rules.enableStarterPack(site);
  }
}
