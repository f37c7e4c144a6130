import { LOCALES, type Locale } from '../format/format';

/** What this browser remembers between visits: the token, the language and the building. */
const KEYS = { token: 'hallwatch.token', session: 'hallwatch.session', locale: 'hallwatch.locale', site: 'hallwatch.site' } as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage can be disabled (private mode, policy): the dashboard still works for this visit.
  }
}

export const preferences = {
  token: () => read(KEYS.token),
  setToken: (token: string | null) => write(KEYS.token, token),
  /** The token came from a name-and-password sign-in: signing out ends it on the server too. */
  isSession: () => read(KEYS.session) === '1',
  setSession: (session: boolean) => write(KEYS.session, session ? '1' : null),
  locale: (): Locale => {
    const stored = read(KEYS.locale);
    return LOCALES.find((locale) => locale === stored) ?? 'zh-TW';
  },
  setLocale: (locale: Locale) => write(KEYS.locale, locale),
  site: () => read(KEYS.site),
  setSite: (site: string) => write(KEYS.site, site),
};
