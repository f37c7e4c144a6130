import { useState } from 'preact/hooks';
import { ApiClient, UnauthorisedError } from '../api/api-client';
import { useI18n } from '../app/contexts';
import { LanguageSwitch } from '../components/language-switch';
import type { Locale } from '../format/format';
import type { MessageKey } from '../i18n/i18n';

interface SignInPageProps {
  /** Why the user is here again (signed out, token refused), if they were signed in. */
  notice: MessageKey | null;
  onSignedIn: (token: string) => void;
  onLocale: (locale: Locale) => void;
}

/** Sign-in with an access token, checked against the API before it is kept. */
export function SignInPage({ notice, onSignedIn, onLocale }: SignInPageProps) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return setProblem('signIn.empty');
    setChecking(true);
    setProblem(null);
    try {
      await new ApiClient(candidate).sites();
      onSignedIn(candidate);
    } catch (error) {
      setProblem(error instanceof UnauthorisedError ? 'signIn.wrongToken' : 'signIn.unreachable');
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <form class="panel sign-in-form" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title" noValidate>
        <div class="sign-in-head">
          <h1 id="sign-in-title">{t('signIn.title')}</h1>
          <LanguageSwitch onChange={onLocale} />
        </div>
        <p>{t('signIn.intro')}</p>
        {notice && !problem && (
          <p class="notice" role="status">
            {t(notice)}
          </p>
        )}
        <label for="token">{t('signIn.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          spellcheck={false}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'sign-in-problem' : undefined}
          required
        />
        {problem && (
          <p id="sign-in-problem" class="notice notice-error" role="alert" data-testid="sign-in-error">
            {t(problem)}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={checking}>
          {checking ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
