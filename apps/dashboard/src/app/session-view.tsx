import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, UnauthorisedError } from '../api/api-client';
import type { Role } from '../api/api-types';
import type { SiteDetail, SiteSummary } from '../api/api-types';
import { Header } from '../components/header';
import { LoadState } from '../components/load-state';
import { AlertBook } from '../domain/alert-book';
import { expectedIntervalsMs, siteModel } from '../domain/site-model';
import type { Locale } from '../format/format';
import { createI18n, type MessageKey } from '../i18n/i18n';
import { LiveClient, type LinkState } from '../live/live-client';
import { LiveStore } from '../live/live-store';
import { AdminPage } from '../pages/admin-page';
import { AlertsPage } from '../pages/alerts-page';
import { ChillersPage } from '../pages/chillers-page';
import { FloorsPage } from '../pages/floors-page';
import { MaintenancePage } from '../pages/maintenance-page';
import { OverviewPage } from '../pages/overview-page';
import { SavingsPage } from '../pages/savings-page';
import { TrendsPage } from '../pages/trends-page';
import { ZonesPage } from '../pages/zones-page';
import { I18nContext, SessionContext, useI18n, type Session } from './contexts';
import { useLoad } from './hooks';
import { preferences } from './preferences';
import type { Route } from './route';
import { useHashRoute } from './use-hash-route';

interface SessionViewProps {
  token: string;
  onSignOut: (reason: MessageKey) => void;
  onLocale: (locale: Locale) => void;
}

/** A signed-in session: the sites, the chosen site's registry, its live stream, and the pages. */
export function SessionView({ token, onSignOut, onLocale }: SessionViewProps) {
  const { t, locale } = useI18n();
  const api = useMemo(() => new ApiClient(token), [token]);
  const unauthorised = useCallback(() => onSignOut('signIn.expired'), [onSignOut]);
  const route = useHashRoute();

  const sites = useLoad((signal) => api.sites(signal), [api], unauthorised);
  const me = useLoad((signal) => api.me(signal), [api], unauthorised);
  const isAdmin = me.data?.role === 'admin';
  const [chosenKey, setChosenKey] = useState(() => preferences.site());
  const chosen = pickSite(sites.data, chosenKey);
  const detail = useLoad(
    (signal) => (chosen ? api.site(chosen.key, signal) : Promise.resolve(undefined)),
    [api, chosen?.key],
    unauthorised,
  );
  const site = detail.data?.key === chosen?.key ? detail.data : undefined;
  // Every time and day shown for a site is on its own clock, in its time zone.
  const siteI18n = useMemo(() => createI18n(locale, site?.timezone), [locale, site?.timezone]);

  const chooseSite = (key: string) => {
    preferences.setSite(key);
    setChosenKey(key);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {site ? (
        <LiveSession key={site.key} api={api} site={site} token={token} unauthorised={unauthorised}>
          {(session, link) => (
            <I18nContext.Provider value={siteI18n}>
              <Header
                route={route}
                sites={sites.data ?? []}
                siteKey={site.key}
                onSite={chooseSite}
                link={link}
                store={session.store}
                alerts={session.alerts}
                onLocale={onLocale}
                onSignOut={() => onSignOut('signIn.signedOut')}
                isAdmin={isAdmin}
              />
              <main id="main" class="page" tabIndex={-1}>
                <SessionContext.Provider value={session}>
                  <Page route={route} role={me.data?.role} />
                </SessionContext.Provider>
              </main>
            </I18nContext.Provider>
          )}
        </LiveSession>
      ) : (
        <main id="main" class="page">
          {sites.data?.length === 0 ? (
            <p class="notice">{t('app.noSites')}</p>
          ) : (
            <LoadState loading error={sites.error ?? detail.error} onRetry={sites.error ? sites.reload : detail.reload} />
          )}
        </main>
      )}
    </>
  );
}

interface LiveSessionProps {
  api: ApiClient;
  site: SiteDetail;
  token: string;
  unauthorised: () => void;
  children: (session: Session, link: LinkState) => ComponentChildren;
}

/** Owns the live stream of one site for as long as that site is shown. */
function LiveSession({ api, site, token, unauthorised, children }: LiveSessionProps) {
  const store = useMemo(() => new LiveStore(site.key, undefined, expectedIntervalsMs(site)), [site.key]);
  const alerts = useMemo(() => new AlertBook(site.key), [site.key]);
  const [link, setLink] = useState<LinkState>({ status: 'connecting', since: Date.now() });
  const [resync, setResync] = useState(0);

  useEffect(() => () => store.close(), [store]);
  useEffect(() => {
    const client = new LiveClient(token, site.key, {
      onReadings: (batch) => store.apply(batch),
      onAlert: (alert) => alerts.apply(alert),
      onState: (state) => {
        setLink(state);
        if (state.status === 'unauthorised') unauthorised();
      },
      onResubscribed: () => setResync((value) => value + 1),
    });
    client.start();
    return () => client.stop();
  }, [store, alerts, token, site.key, unauthorised]);

  // The alerts as they stand, at the start and after every reconnection (changes missed meanwhile).
  useEffect(() => {
    const controller = new AbortController();
    api.alerts(site.key, controller.signal).then(
      (list) => alerts.load(list),
      (error: unknown) => {
        if (error instanceof UnauthorisedError) unauthorised();
      },
    );
    return () => controller.abort();
  }, [api, alerts, site.key, resync, unauthorised]);

  const session = useMemo(
    (): Session => ({ api, site, model: siteModel(site), store, alerts, resync, unauthorised }),
    [api, site, store, alerts, resync, unauthorised],
  );
  return <>{children(session, link)}</>;
}

function Page({ route, role }: { route: Route; role: Role | undefined }) {
  switch (route.page) {
    case 'floors':
      return <FloorsPage params={route.params} role={role} />;
    case 'maintenance':
      return <MaintenancePage role={role} />;
    case 'admin':
      return role === 'admin' ? <AdminPage params={route.params} /> : <AdminRefused loading={role === undefined} />;
    case 'chillers':
      return <ChillersPage />;
    case 'zones':
      return <ZonesPage />;
    case 'trends':
      return <TrendsPage params={route.params} />;
    case 'alerts':
      return <AlertsPage />;
    case 'savings':
      return <SavingsPage />;
    default:
      return <OverviewPage />;
  }
}

function AdminRefused({ loading }: { loading: boolean }) {
  const { t } = useI18n();
  return loading ? <LoadState loading /> : <p class="notice notice-error">{t('admin.forbidden')}</p>;
}

function pickSite(sites: readonly SiteSummary[] | undefined, key: string | null): SiteSummary | undefined {
  return sites?.find((site) => site.key === key) ?? sites?.[0];
}
