import { z } from 'zod';
import { Alert, alertTexts, DEFAULT_LANG, LANGS, localisedAlert } from '@hallwatch/alerts';

/** `?lang=zh-TW|en`, as the reports take it; zh-TW when absent. */
export const langQuery = z.object({ lang: z.enum(LANGS).default(DEFAULT_LANG) });
export type AlertLang = z.infer<typeof langQuery>['lang'];

/**
 * An alert as the API serves it: `title` and `detail` in the requested language (as before, one
 * string each), and `texts` in both, for a page that switches language without asking again.
 */
export function alertView(alert: Alert, lang: AlertLang) {
  return { ...alert, ...localisedAlert(alert, lang), lang, ...(alert.facts ? { texts: alertTexts(alert.facts, alert.title) } : {}) };
}
