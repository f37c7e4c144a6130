import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ContactInput, contactSchema, EscalationPolicy, escalationPolicySchema } from '@hallwatch/alerts';
import { CurrentPrincipal, Principal, Roles, ScopedList } from '@hallwatch/auth';
import { ALL_SITES } from '@hallwatch/domain';
import { ZodPipe } from '../zod-body.pipe';
import { cursorParameter, cursorParts, limitParameter } from '../pagination/page-cursor';
import { linkNextPage, NEXT_LINK_HEADER } from '../pagination/next-link';
import { Returns } from '../openapi/returns.decorator';
import { CONTACT_EXAMPLE, contactViewSchema, notification, sitePolicy } from './alerts.contract';
import { NotificationSettingsService } from './notification-settings.service';

const notificationsQuery = z.object({
  state: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: limitParameter(200, 1000),
  cursor: cursorParameter('notifications', cursorParts.epoch, cursorParts.uuid).optional(),
});

/** Who hears of alerts (contacts), when (escalation per site), and what was sent (notifications). */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get('alert-contacts')
  @ApiOperation({
    summary: "Contacts of the caller's sites: webhook, chat webhook (Teams/Slack) or e-mail",
    description: 'Secrets are write-only: signing secrets are never returned, webhook and chat URLs only as host and last four characters.',
  })
  @Returns(z.array(contactViewSchema), { example: [CONTACT_EXAMPLE] })
  contacts(@CurrentPrincipal() who: Principal) {
    return this.settings.contacts(who.sites);
  }

  @Put('alert-contacts/:id')
  @Roles('admin')
  @ApiOperation({ summary: "Create or replace a contact: { name, channel, address, secret?, sites ('*' or site keys) }" })
  @Returns(contactViewSchema)
  putContact(@Param('id') id: string, @Body(new ZodPipe(contactSchema)) body: ContactInput, @CurrentPrincipal() who: Principal) {
    return this.settings.putContact(id, body, who.name);
  }

  @Delete('alert-contacts/:id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove a contact' })
  removeContact(@Param('id') id: string) {
    return this.settings.removeContact(id);
  }

  @Get('escalation-policies')
  @ScopedList<{ site: string }>((policy) => (policy.site === ALL_SITES ? undefined : policy.site))
  @ApiOperation({ summary: "Escalation policies by site ('*' is the default): levels of contacts after N seconds unacknowledged, repeats" })
  @Returns(z.array(sitePolicy))
  policies() {
    return this.settings.policies();
  }

  @Put('escalation-policies/:site')
  @Roles('admin')
  @ApiOperation({ summary: "Set a site's escalation policy ('*' for every site without its own)" })
  @Returns(sitePolicy)
  putPolicy(
    @Param('site') site: string,
    @Body(new ZodPipe(escalationPolicySchema)) body: EscalationPolicy,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.settings.putPolicy(site, body, who.name);
  }

  @Get('notifications')
  @ApiOperation({
    summary:
      'Notifications sent or being sent, newest first; state=failed lists deliveries that gave up, with the last error; the `Link` header leads to the next page',
  })
  @Returns(z.array(notification), { headers: NEXT_LINK_HEADER })
  async list(
    @Query(new ZodPipe(notificationsQuery)) { cursor, ...query }: z.infer<typeof notificationsQuery>,
    @CurrentPrincipal() who: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { notifications, next } = await this.settings.notificationPage({ ...query, after: cursor }, who.sites);
    linkNextPage(request, response, next);
    return notifications;
  }
}
