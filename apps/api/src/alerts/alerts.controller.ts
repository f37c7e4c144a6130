import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Alert, AlertLifecycle, AlertsRepository, NotificationsRepository } from '@hallwatch/alerts';
import { CurrentPrincipal, listSites, Principal, Roles, SiteOf } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { ZodPipe } from '../zod-body.pipe';
import { alertView, langQuery } from './alert-view';
import { Returns } from '../openapi/returns.decorator';
import { alert, ALERT_EXAMPLE, alertEvent, alertWithHistory } from './alerts.contract';

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  site: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  lang: langQuery.shape.lang,
});
const noteBody = z.object({ note: z.string().trim().min(1).optional() }).default({});
const assignBody = z.object({ assignee: z.string().trim().min(1) });
const commentBody = z.object({ text: z.string().trim().min(1, 'a comment needs text') });
const shelveBody = z.object({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

/** Alerts for the crews: list, look into one, and act on it. Every action is kept in its history. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly notifications: NotificationsRepository,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Alerts, newest first; filter by state (open|acknowledged|resolved) and site (only sites the caller is scoped to)',
  })
  @Returns(z.array(alert), { example: [ALERT_EXAMPLE] })
  async list(@Query(new ZodPipe(listQuery)) query: z.infer<typeof listQuery>, @CurrentPrincipal() who: Principal) {
    const sites = listSites(who.sites, query.site);
    const inLang = (alerts: Alert[]) => alerts.map((alert) => alertView(alert, query.lang));
    if (sites === undefined || query.site !== undefined) return inLang(await this.alerts.list(query));
    const lists = await Promise.all(sites.map((site) => this.alerts.list({ ...query, site })));
    return inLang(lists.flat().sort(alertOrder).slice(0, query.limit));
  }

  @Get(':id')
  @SiteOf('alert')
  @ApiOperation({ summary: 'One alert with its full history (who did what) and its notifications' })
  @Returns(alertWithHistory)
  async get(@Param('id', ParseIntPipe) id: number, @Query(new ZodPipe(langQuery)) query: z.infer<typeof langQuery>) {
    const alert = await this.alerts.find(id);
    if (!alert) throw new DomainError('not-found', `No alert ${id}`);
    const [events, notifications] = await Promise.all([this.alerts.events(id), this.notifications.list({ alertId: id })]);
    return { ...alertView(alert, query.lang), events, notifications };
  }

  @Post(':id/ack')
  @SiteOf('alert')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Acknowledge: someone is on it; stops repeats and escalation' })
  @Returns(alert, {
    errors: [409],
    example: { ...ALERT_EXAMPLE, state: 'acknowledged', acknowledgedAt: '2026-12-01T02:16:04.000Z', acknowledgedBy: 'lin.engineer' },
  })
  ack(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(noteBody)) body: z.infer<typeof noteBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.lifecycle.acknowledge(id, who.name, body.note);
  }

  @Post(':id/resolve')
  @SiteOf('alert')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Resolve by hand (alerts also resolve themselves when the condition clears)' })
  @Returns(alert, { errors: [409] })
  resolve(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(noteBody)) body: z.infer<typeof noteBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.lifecycle.resolve(id, who.name, new Date(), body.note);
  }

  @Post(':id/assign')
  @SiteOf('alert')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Give the alert to someone' })
  @Returns(alert, { errors: [409] })
  assign(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(assignBody)) body: z.infer<typeof assignBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.lifecycle.assign(id, who.name, body.assignee);
  }

  @Post(':id/comments')
  @SiteOf('alert')
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Add a comment to the alert history' })
  @Returns(alertEvent)
  comment(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(commentBody)) body: z.infer<typeof commentBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.lifecycle.comment(id, who.name, body.text);
  }

  @Post(':id/shelve')
  @SiteOf('alert')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'Shelve for some minutes: no repeats or escalation meanwhile' })
  @Returns(alert, { errors: [409] })
  shelve(
    @Param('id', ParseIntPipe) id: number,
    @Body(new ZodPipe(shelveBody)) body: z.infer<typeof shelveBody>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.lifecycle.shelve(id, who.name, body.minutes);
  }

  @Post(':id/unshelve')
  @SiteOf('alert')
  @HttpCode(200)
  @Roles('maintenance', 'engineer')
  @ApiOperation({ summary: 'End shelving early' })
  @Returns(alert, { errors: [409] })
  unshelve(@Param('id', ParseIntPipe) id: number, @CurrentPrincipal() who: Principal) {
    return this.lifecycle.shelve(id, who.name, null);
  }
}

const STATE_ORDER: Record<Alert['state'], number> = { open: 0, acknowledged: 1, resolved: 2 };

/** The order AlertsRepository.list sorts in, for merging the lists of several sites. */
function alertOrder(a: Alert, b: Alert): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.severity.localeCompare(b.severity) || b.openedAt.localeCompare(a.openedAt);
}
