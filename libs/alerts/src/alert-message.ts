import { Alert } from './alerts.repository';
import { NotificationReason } from './notifications.repository';

const REASON: Record<NotificationReason, string> = {
  opened: '發生 opened',
  repeat: '提醒 reminder, not yet acknowledged',
  escalated: '升級 escalated, not acknowledged',
  resolved: '已解除 resolved',
};

/** One line for chat and e-mail subjects: `[P2] 發生 opened · Chiller 1: kW/RT above 1.0 · demo-city-hall/chiller-1`. */
export function alertHeadline(alert: Alert, reason: NotificationReason): string {
  return `[${alert.severity}] ${REASON[reason]} · ${alert.title} · ${alert.site}/${alert.target}`;
}

export function alertText(alert: Alert, reason: NotificationReason): string {
  return [
    alertHeadline(alert, reason),
    alert.detail,
    `opened ${alert.openedAt}${alert.resolvedAt ? `, resolved ${alert.resolvedAt}` : ''} · alert #${alert.id}${alert.assignee ? ` · assigned to ${alert.assignee}` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
}
