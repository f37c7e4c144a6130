import type { SiteSummary } from '../api/api-types';
import { useI18n } from '../app/contexts';
import { useNow } from '../app/hooks';
import { ADMIN_PAGES, PAGES, routeHref, type Route } from '../app/route';
import { useAlerts } from '../app/use-alerts';
import type { AlertBook } from '../domain/alert-book';
import type { Locale } from '../format/format';
import type { LinkState } from '../live/live-client';
import type { LiveStore } from '../live/live-store';
import { ConnectionStatus } from './connection-status';
import { LanguageSwitch } from './language-switch';

interface HeaderProps {
  route: Route;
  sites: readonly SiteSummary[];
  siteKey: string;
  onSite: (key: string) => void;
  link: LinkState;
  store: LiveStore;
  alerts: AlertBook;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
  /** Whether the admin pages are offered: the API refuses them to anyone else anyway. */
  isAdmin: boolean;
}

/** Building, pages, connection state, the site's local time, language and sign-out: always in view. */
export function Header({ route, sites, siteKey, onSite, link, store, alerts, onLocale, onSignOut, isAdmin }: HeaderProps) {
  const { t } = useI18n();
  useAlerts(alerts);
  const openAlerts = alerts.unresolved().filter((alert) => alert.state === 'open').length;
  const site = sites.find((candidate) => candidate.key === siteKey);
  return (
    <header class="top">
      <div class="brand">
        <span class="brand-name">Hallwatch</span>
        {sites.length > 1 ? (
          <label class="site-picker">
            <span class="visually-hidden">{t('app.site')}</span>
            <select value={siteKey} onChange={(event) => onSite(event.currentTarget.value)} data-testid="site-picker">
              {sites.map((candidate) => (
                <option key={candidate.key} value={candidate.key}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span class="site-name" data-testid="site-name">
            {site?.name ?? siteKey}
          </span>
        )}
      </div>
      <nav aria-label={t('app.pages')} class="nav">
        {PAGES.filter((page) => isAdmin || !ADMIN_PAGES.includes(page)).map((page) => (
          <a
            key={page}
            href={routeHref(page)}
            class="nav-link"
            aria-current={route.page === page ? 'page' : undefined}
            data-testid={`nav-${page}`}
          >
            {t(`nav.${page}`)}
            {page === 'alerts' && openAlerts > 0 && (
              <span class="nav-count" data-testid="open-alerts-count">
                {openAlerts}
              </span>
            )}
          </a>
        ))}
      </nav>
      <div class="header-end">
        <ConnectionStatus link={link} store={store} />
        <Clock />
        <LanguageSwitch onChange={onLocale} />
        <button type="button" class="button button-quiet" onClick={onSignOut} data-testid="sign-out">
          {t('app.signOut')}
        </button>
      </div>
    </header>
  );
}

function Clock() {
  const { t, f } = useI18n();
  const now = useNow(1000);
  return (
    <time class="clock" dateTime={new Date(now).toISOString()} title={t('app.siteTime', { zone: f.zoneName })}>
      <span class="visually-hidden">{t('app.siteTime', { zone: f.zoneName })} </span>
      {f.time(now)}
    </time>
  );
}
