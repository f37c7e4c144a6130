import { useState } from 'preact/hooks';
import { ApiError, UnauthorisedError } from '../api/api-client';
import type { AlertDetail, AlertView } from '../api/api-types';
import { useI18n, useSession } from '../app/contexts';
import { routeHref } from '../app/route';
import { useAlerts } from '../app/use-alerts';
import { AlertSeverity } from '../components/alert-severity';
import { LevelBadge } from '../components/level-badge';
import type { Locale } from '../format/format';

/** The crews' alert list: live, with acknowledge, comment, resolve and the full history. */
export function AlertsPage() {
  const { alerts } = useSession();
  const { t } = useI18n();
  useAlerts(alerts);
  const unresolved = alerts.unresolved();
  const resolved = alerts.recentlyResolved();
  return (
    <>
      <h1 class="page-title">{t('alerts.title')}</h1>
      <section aria-labelledby="unresolved-label">
        <h2 id="unresolved-label" class="section-title">
          {t('alerts.unresolved', { count: unresolved.length })}
        </h2>
        {unresolved.length === 0 ? (
          <p class="notice">{t('alerts.none')}</p>
        ) : (
          unresolved.map((alert) => <AlertCard key={alert.id} alert={alert} />)
        )}
      </section>
      <section aria-labelledby="resolved-label">
        <h2 id="resolved-label" class="section-title">
          {t('alerts.recentlyResolved')}
        </h2>
        {resolved.length === 0 ? (
          <p class="muted">{t('alerts.noneResolved')}</p>
        ) : (
          resolved.map((alert) => <AlertCard key={alert.id} alert={alert} />)
        )}
      </section>
    </>
  );
}

/** The API sends an alert's title and detail in both languages (`texts`) beside the default one; alerts from before have none. */
type AlertTexts = Partial<Record<Locale, { title: string; detail: string }>>;

function textsIn(alert: AlertView, locale: Locale): { title: string; detail: string } {
  return (alert as AlertView & { texts?: AlertTexts }).texts?.[locale] ?? alert;
}

function AlertCard({ alert }: { alert: AlertView }) {
  const { api, alerts, unauthorised } = useSession();
  const { t, f, locale } = useI18n();
  const { title, detail } = textsIn(alert, locale);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [history, setHistory] = useState<AlertDetail | null>(null);
  const [workItem, setWorkItem] = useState<number | null>(null);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await action();
      // An action's answer has the alert without its texts in both languages; they have not changed, so keep them.
      if (result && typeof result === 'object' && 'state' in result)
        alerts.apply({ texts: (alert as AlertView & { texts?: AlertTexts }).texts, ...(result as AlertView) } as AlertView);
      if (history) setHistory(await api.alert(alert.id));
    } catch (error) {
      if (error instanceof UnauthorisedError) return unauthorised();
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const toggleHistory = () => (history ? setHistory(null) : void act(async () => setHistory(await api.alert(alert.id))));
  const stateTone = alert.state === 'open' ? 'bad' : alert.state === 'acknowledged' ? 'warn' : 'ok';

  return (
    <article
      class={`panel alert-card severity-${alert.severity}`}
      aria-labelledby={`alert-${alert.id}-title`}
      data-testid={`alert-${alert.id}`}
    >
      <header class="alert-card-head">
        <AlertSeverity severity={alert.severity} />
        <h3 id={`alert-${alert.id}-title`} class="alert-title">
          {title}
        </h3>
        <LevelBadge tone={stateTone} text={t(`alerts.state.${alert.state}`)} />
      </header>
      <p class="alert-detail">{detail}</p>
      <p class="muted">
        {t('alerts.openedAt', { time: f.dateTime(Date.parse(alert.openedAt)), target: alert.target })}
        {alert.repeats > 0 && ` · ${t('alerts.repeats', { count: alert.repeats })}`}
        {alert.acknowledgedBy && ` · ${t('alerts.acknowledgedBy', { who: alert.acknowledgedBy })}`}
        {alert.resolvedAt &&
          ` · ${t('alerts.resolvedAt', { time: f.dateTime(Date.parse(alert.resolvedAt)), who: alert.resolvedBy ?? '' })}`}
      </p>
      <div class="alert-actions">
        {alert.state === 'open' && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void act(() => api.acknowledge(alert.id))}
            data-testid={`ack-${alert.id}`}
          >
            {t('alerts.ack')}
          </button>
        )}
        {alert.state !== 'resolved' && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void act(() => api.resolve(alert.id))}
            data-testid={`resolve-${alert.id}`}
          >
            {t('alerts.resolve')}
          </button>
        )}
        {alert.state !== 'resolved' && (
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void act(async () => setWorkItem((await api.workItemFromAlert(alert.id, null)).id))}
            data-testid={`work-item-from-${alert.id}`}
          >
            {t('maint.fromAlert')}
          </button>
        )}
        {workItem !== null && (
          <a href={routeHref('maintenance')} data-testid={`work-item-made-${alert.id}`}>
            {t('maint.fromAlertDone', { id: workItem })}
          </a>
        )}
        <button
          type="button"
          class="button button-quiet"
          aria-expanded={history !== null}
          onClick={toggleHistory}
          data-testid={`history-${alert.id}`}
        >
          {t('alerts.history')}
        </button>
      </div>
      <form
        class="alert-comment"
        onSubmit={(event) => {
          event.preventDefault();
          const text = comment.trim();
          if (!text) return;
          void act(async () => {
            await api.comment(alert.id, text);
            setComment('');
            setHistory(await api.alert(alert.id));
          });
        }}
      >
        <label>
          <span class="visually-hidden">{t('alerts.comment')}</span>
          <input
            type="text"
            value={comment}
            placeholder={t('alerts.commentPlaceholder')}
            onInput={(event) => setComment(event.currentTarget.value)}
            data-testid={`comment-input-${alert.id}`}
          />
        </label>
        <button type="submit" class="button button-quiet" disabled={busy || comment.trim() === ''} data-testid={`comment-${alert.id}`}>
          {t('alerts.comment')}
        </button>
      </form>
      {problem && (
        <p class="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {history && (
        <ol class="alert-history" aria-label={t('alerts.history')} data-testid={`history-list-${alert.id}`}>
          {history.events.map((event) => (
            <li key={event.id}>
              <time dateTime={event.at}>{f.dateTime(Date.parse(event.at))}</time> <strong>{event.actor}</strong>{' '}
              {t(actionKey(event.action))}
              {describe(event.detail, locale) && <span class="muted"> · {describe(event.detail, locale)}</span>}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

const ACTIONS = [
  'opened',
  'reopened',
  'repeated',
  'acknowledged',
  'resolved',
  'assigned',
  'shelved',
  'unshelved',
  'commented',
  'escalated',
  'notification-failed',
  'work-item',
] as const;
type KnownAction = (typeof ACTIONS)[number];

function actionKey(action: string): `alerts.action.${KnownAction | 'other'}` {
  return (ACTIONS as readonly string[]).includes(action) ? `alerts.action.${action as KnownAction}` : 'alerts.action.other';
}

function describe(detail: Record<string, unknown>, locale: Locale): string {
  // A rule's resolution carries its note in both languages.
  const notes = detail.notes as Partial<Record<Locale, string>> | undefined;
  const text = notes?.[locale] ?? detail.note ?? detail.text ?? detail.detail ?? detail.assignee ?? detail.error;
  return typeof text === 'string' ? text : '';
}
