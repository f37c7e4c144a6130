import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AlertLifecycle, SEVERITIES } from '@hallwatch/alerts';
import { CurrentPrincipal, Principal, Roles, SiteOf } from '@hallwatch/auth';
import { ZodPipe } from '../zod-body.pipe';
import { cursorParameter, cursorParts, limitParameter } from '../pagination/page-cursor';
import { linkNextPage, NEXT_LINK_HEADER } from '../pagination/next-link';
import { langQuery } from './alert-view';
import { AlertsService } from './alerts.service';
import { Returns } from '../openapi/returns.decorator';
import { alert, ALERT_EXAMPLE, alertEvent, alertWithHistory } from './alerts.contract';

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  site: z.string().optional(),
  limit: limitParameter(200, 1000),
  cursor: cursorParameter('alerts', z.enum(['0', '1', '2']), z.enum(SEVERITIES), cursorParts.epoch, cursorParts.id).optional(),
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
    private readonly alerts: AlertsService,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Alerts: open, then acknowledged, then resolved; by severity, newest first. Filter by state (open|acknowledged|resolved) and site (only sites the caller is scoped to); the `Link` header leads to the next page',
  })
  @Returns(z.array(alert), { example: [ALERT_EXAMPLE], headers: NEXT_LINK_HEADER })
  async list(
    @Query(new ZodPipe(listQuery)) { cursor, ...query }: z.infer<typeof listQuery>,
    @CurrentPrincipal() who: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { alerts, next } = await this.alerts.page({ ...query, after: cursor }, who.sites);
    linkNextPage(request, response, next);
    return alerts;
  }

  @Get(':id')
  @SiteOf('alert')
  @ApiOperation({ summary: 'One alert with its full history (who did what) and its notifications' })
  @Returns(alertWithHistory)
  get(@Param('id', ParseIntPipe) id: number, @Query(new ZodPipe(langQuery)) query: z.infer<typeof langQuery>) {
    return this.alerts.get(id, query.lang);
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
