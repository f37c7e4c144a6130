import { formatters, type Formatters, type Locale } from '../format/format';
import { en, zhTW, type MessageKey } from './messages';

export type { MessageKey };
export type Params = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, params?: Params) => string;
  f: Formatters;
}

const tables: Record<Locale, Record<MessageKey, string>> = { 'zh-TW': zhTW, en };

/** The message for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = tables[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Messages in `locale`, and formatters showing times in `zone` (the site's time zone, once a site is shown). */
export function createI18n(locale: Locale, zone?: string): I18n {
  return { locale, t: (key, params) => translate(locale, key, params), f: formatters(locale, zone) };
}

/** The BCP 47 tag for the page's lang attribute. */
export function htmlLang(locale: Locale): string {
  return locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
}
