import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { SiteDetail } from '../api/api-types';
import type { AlertBook } from '../domain/alert-book';
import type { SiteModel } from '../domain/site-model';
import { createI18n, type I18n } from '../i18n/i18n';
import type { LiveStore } from '../live/live-store';

export const I18nContext = createContext<I18n>(createI18n('zh-TW'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** What every page of a signed-in session works with. */
export interface Session {
  api: ApiClient;
  site: SiteDetail;
  model: SiteModel;
  store: LiveStore;
  /** The site's alerts, kept current by the socket. */
  alerts: AlertBook;
  /** Goes up each time the live stream comes back after a loss: pages refetch what they missed. */
  resync: number;
  /** The token was refused: ends the session. */
  unauthorised: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in session');
  return session;
}
