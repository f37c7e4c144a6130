import { useState } from 'preact/hooks';
import { ApiClient, ApiError, signInWithPassword, UnauthorisedError } from '../api/api-client';
import { useI18n } from '../app/contexts';
import { LanguageSwitch } from '../components/language-switch';
import type { Locale } from '../format/format';
import type { MessageKey } from '../i18n/i18n';

interface SignInPageProps {
  /** Why the user is here again (signed out, token refused), if they were signed in. */
  notice: MessageKey | null;
  /** `session`: the token is a sign-in session (from a name and password), not an access token. */
  onSignedIn: (token: string, session: boolean) => void;
  onLocale: (locale: Locale) => void;
}

/** Sign-in with a name and password (a session), or with an access token; either is checked before it is kept. */
export function SignInPage({ notice, onSignedIn, onLocale }: SignInPageProps) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (mode === 'password' ? !name.trim() || !password : !token.trim())
      return setProblem(mode === 'password' ? 'signIn.emptyPassword' : 'signIn.empty');
    setChecking(true);
    setProblem(null);
    try {
      if (mode === 'password') {
        const session = await signInWithPassword(name.trim(), password);
        if (session) onSignedIn(session, true);
        else setProblem('signIn.wrongPassword');
      } else {
        await new ApiClient(token.trim()).sites();
        onSignedIn(token.trim(), false);
      }
    } catch (error) {
      if (error instanceof UnauthorisedError) setProblem('signIn.wrongToken');
      else if (error instanceof ApiError && error.status === 429) setProblem('signIn.tooMany');
      else setProblem('signIn.unreachable');
    } finally {
      setChecking(false);
    }
  };
  const field = (id: string, label: string, value: string, set: (value: string) => void, type: string, autocomplete: string) => (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        autocomplete={autocomplete}
        spellcheck={false}
        value={value}
        onInput={(event) => set(event.currentTarget.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'sign-in-problem' : undefined}
        required
      />
    </>
  );

  return (
    <main id="main" class="sign-in">
      <form class="panel sign-in-form" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title" noValidate>
        <div class="sign-in-head">
          <h1 id="sign-in-title">{t('signIn.title')}</h1>
          <LanguageSwitch onChange={onLocale} />
        </div>
        <p>{t(mode === 'password' ? 'signIn.introPassword' : 'signIn.intro')}</p>
        {notice && !problem && (
          <p class="notice" role="status">
            {t(notice)}
          </p>
        )}
        {mode === 'password' ? (
          <>
            {field('user-name', t('signIn.name'), name, setName, 'text', 'username')}
            {field('password', t('signIn.password'), password, setPassword, 'password', 'current-password')}
          </>
        ) : (
          field('token', t('signIn.token'), token, setToken, 'password', 'current-password')
        )}
        {problem && (
          <p id="sign-in-problem" class="notice notice-error" role="alert" data-testid="sign-in-error">
            {t(problem)}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={checking}>
          {checking ? t('signIn.checking') : t('signIn.submit')}
        </button>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => {
            setMode(mode === 'password' ? 'token' : 'password');
            setProblem(null);
          }}
          data-testid="sign-in-mode"
        >
          {t(mode === 'password' ? 'signIn.useToken' : 'signIn.usePassword')}
        </button>
      </form>
    </main>
  );
}
