import { Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import {
  Alert,
  alertHeadline,
  alertText,
  AlertsRepository,
  Contact,
  localisedAlert,
  Notification,
  NotificationSettingsRepository,
  NotificationsRepository,
} from '@hallwatch/alerts';
import { MailService } from '../mail/mail.service';

const TIMEOUT_MS = 10_000;

/** The notification does not exist any more (alert or contact deleted): retrying cannot help. */
export class NothingToDeliver extends Error {}

/**
 * Delivers one notification: a signed webhook, a chat message (Slack- and Teams-compatible
 * `{ text }`), or an e-mail. Each attempt is recorded; delivering twice is avoided by checking the
 * row first, and receivers can de-duplicate on the X-Hallwatch-Delivery header.
 */
@Injectable()
export class NotificationDelivery {
  private readonly logger = new Logger(NotificationDelivery.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly settings: NotificationSettingsRepository,
    private readonly alerts: AlertsRepository,
    private readonly mail: MailService,
  ) {}

  async deliver(notificationId: string): Promise<'delivered' | 'already delivered'> {
    const notification = await this.notifications.find(notificationId);
    if (!notification) throw new NothingToDeliver(`no notification ${notificationId}`);
    if (notification.state === 'delivered') return 'already delivered';
    const [alert, contact] = await Promise.all([this.alerts.find(notification.alertId), this.settings.contact(notification.contactId)]);
    if (!alert || !contact) throw new NothingToDeliver(`notification ${notificationId}: its alert or contact is gone`);
    try {
      await this.send(notification, alert, contact);
    } catch (error) {
      await this.notifications.attempted(notificationId, (error as Error).message);
      throw error;
    }
    await this.notifications.attempted(notificationId, null);
    return 'delivered';
  }

  /** After the last retry: the failure stays visible on the notification and in the alert's history. */
  async giveUp(notificationId: string, error: Error): Promise<void> {
    const notification = await this.notifications.find(notificationId);
    if (!notification) return;
    await this.notifications.failed(notificationId, error.message);
    await this.alerts.record(notification.alertId, 'notifications', 'notification-failed', {
      contact: notification.contactId,
      error: error.message,
    });
    this.logger.warn(`notification ${notificationId} to ${notification.contactId} failed for good: ${error.message}`);
  }

  /** In the contact's language: the webhook's alert carries its title and detail in it, with `lang` saying which. */
  private async send(notification: Notification, alert: Alert, contact: Contact): Promise<void> {
    const { lang } = contact;
    switch (contact.channel) {
      case 'webhook':
        return this.post(
          contact.address,
          JSON.stringify({
            event: `alert.${notification.reason}`,
            notificationId: notification.id,
            lang,
            alert: { ...alert, ...localisedAlert(alert, lang) },
          }),
          notification.id,
          contact.secret,
        );
      case 'chat':
        return this.post(contact.address, JSON.stringify({ text: alertText(alert, notification.reason, lang) }), notification.id, null);
      case 'email':
        return this.mail.send({
          to: [contact.address],
          subject: alertHeadline(alert, notification.reason, lang),
          text: alertText(alert, notification.reason, lang),
        });
    }
  }

  private async post(url: string, body: string, deliveryId: string, secret: string | null): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-hallwatch-delivery': deliveryId };
    if (secret)
      headers['x-hallwatch-signature'] = `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }
}
