import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Locale } from '../format/format';
import { ApiClient } from '../api/api-client';
import { createI18n, htmlLang, type MessageKey } from '../i18n/i18n';
import { SignInPage } from '../pages/sign-in-page';
import { I18nContext } from './contexts';
import { preferences } from './preferences';
import { SessionView } from './session-view';

/** The language, and either the sign-in page or a signed-in session. */
export function App() {
  const [locale, setLocale] = useState<Locale>(() => preferences.locale());
  const [token, setToken] = useState<string | null>(() => preferences.token());
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const i18n = useMemo(() => createI18n(locale), [locale]);

  useEffect(() => {
    document.documentElement.lang = htmlLang(locale);
    document.title = i18n.t('app.title');
  }, [locale, i18n]);

  const changeLocale = useCallback((next: Locale) => {
    preferences.setLocale(next);
    setLocale(next);
  }, []);
  const signIn = useCallback((next: string, session: boolean) => {
    preferences.setToken(next);
    preferences.setSession(session);
    setNotice(null);
    setToken(next);
  }, []);
  const signOut = useCallback((reason: MessageKey) => {
    // A session ends on the server too; an access token is someone's to revoke, not the browser's.
    const token = preferences.token();
    if (token && preferences.isSession() && reason === 'signIn.signedOut') void new ApiClient(token).signOut().catch(() => undefined);
    preferences.setToken(null);
    preferences.setSession(false);
    setNotice(reason);
    setToken(null);
  }, []);

  return (
    <I18nContext.Provider value={i18n}>
      {token ? (
        <SessionView key={token} token={token} onSignOut={signOut} onLocale={changeLocale} />
      ) : (
        <SignInPage notice={notice} onSignedIn={signIn} onLocale={changeLocale} />
      )}
    </I18nContext.Provider>
  );
}
