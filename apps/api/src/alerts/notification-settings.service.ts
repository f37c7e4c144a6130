import { Injectable } from '@nestjs/common';
import {
  ContactInput,
  contactServes,
  EscalationPolicy,
  Notification,
  NotificationListKey,
  NotificationSettingsRepository,
  NotificationsRepository,
} from '@hallwatch/alerts';
import { listSites } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { ALL_SITES, SiteScope } from '@hallwatch/domain';
import { encodeCursor } from '../pagination/page-cursor';
import { ContactView, contactView } from './contact-view';
import { assertSettingId } from './setting-id';

/** Who hears of alerts (contacts), when (escalation per site), and what was sent (notifications). */
@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly settings: NotificationSettingsRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** The contacts serving any of the caller's sites, each showing only those sites. */
  async contacts(scope: SiteScope): Promise<ContactView[]> {
    return (await this.settings.contacts()).flatMap((contact) => contactView(contact, scope) ?? []);
  }

  async putContact(id: string, contact: ContactInput, by: string): Promise<ContactView | undefined> {
    assertSettingId(id, 'contact');
    await this.settings.putContact(id, contact, by);
    return contactView({ id, ...contact }, ALL_SITES);
  }

  async removeContact(id: string): Promise<void> {
    if (!(await this.settings.removeContact(id))) throw new DomainError('not-found', `No contact ${id}`);
  }

  policies() {
    return this.settings.policies();
  }

  /** Every contact the policy names must exist and serve the site. */
  async putPolicy(site: string, policy: EscalationPolicy, by: string): Promise<EscalationPolicy & { site: string }> {
    const known = new Map((await this.settings.contacts()).map((contact) => [contact.id, contact]));
    const named = [...new Set(policy.levels.flatMap((level) => level.contacts))];
    const missing = named.filter((id) => !known.has(id));
    if (missing.length > 0) throw new DomainError('invalid-input', `Unknown contacts: ${missing.join(', ')}`);
    const elsewhere = named.filter((id) => !contactServes(known.get(id)!, site));
    if (elsewhere.length > 0) throw new DomainError('invalid-input', `Contacts that do not serve site ${site}: ${elsewhere.join(', ')}`);
    await this.settings.putPolicy(site, policy, by);
    return { site, ...policy };
  }

  /** Scoped in the query, not after it: a page filtered afterwards would come out short. */
  async notificationPage(
    query: { state?: Notification['state']; limit: number; after?: NotificationListKey },
    scope: SiteScope,
  ): Promise<{ notifications: Notification[]; next: string | null }> {
    const { notifications, next } = await this.notifications.page({ ...query, sites: listSites(scope) });
    return { notifications, next: next && encodeCursor('notifications', next) };
  }
}
