import type { Lang } from '@hallwatch/calc';
import { Alert } from './alerts.repository';
import { NotificationReason } from './notifications.repository';
import { DEFAULT_LANG, renderAlert } from './text/alert-text';

const REASON: Record<Lang, Record<NotificationReason, string>> = {
  'zh-TW': { opened: '發生', repeat: '提醒：尚未確認', escalated: '升級：尚未確認', resolved: '已解除' },
  en: { opened: 'opened', repeat: 'reminder, not yet acknowledged', escalated: 'escalated, not acknowledged', resolved: 'resolved' },
};

/** The alert's title and detail in a language: rendered from its facts, or as stored for an alert from before. */
export function localisedAlert(alert: Alert, lang: Lang): { title: string; detail: string } {
  return alert.facts ? renderAlert(alert.facts, lang, alert.title) : { title: alert.title, detail: alert.detail };
}

/** One line for chat and e-mail subjects: `[P2] 發生 · 冰水主機 1：效率高於 1.0 kW/RT 達 15 分鐘 · demo-city-hall/chiller-1`. */
export function alertHeadline(alert: Alert, reason: NotificationReason, lang: Lang = DEFAULT_LANG): string {
  return `[${alert.severity}] ${REASON[lang][reason]} · ${localisedAlert(alert, lang).title} · ${alert.site}/${alert.target}`;
}

export function alertText(alert: Alert, reason: NotificationReason, lang: Lang = DEFAULT_LANG): string {
  const zh = lang === 'zh-TW';
  const when = zh
    ? `發生於 ${alert.openedAt}${alert.resolvedAt ? `，解除於 ${alert.resolvedAt}` : ''} · 警報 #${alert.id}${alert.assignee ? ` · 負責人 ${alert.assignee}` : ''}`
    : `opened ${alert.openedAt}${alert.resolvedAt ? `, resolved ${alert.resolvedAt}` : ''} · alert #${alert.id}${alert.assignee ? ` · assigned to ${alert.assignee}` : ''}`;
  return [alertHeadline(alert, reason, lang), localisedAlert(alert, lang).detail, when].filter(Boolean).join('\n');
}
