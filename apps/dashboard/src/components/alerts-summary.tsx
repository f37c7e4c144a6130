import { useI18n, useSession } from '../app/contexts';
import { routeHref } from '../app/route';
import { useAlerts } from '../app/use-alerts';
import { SEVERITY_ORDER } from '../domain/alert-book';
import { AlertSeverity } from './alert-severity';

const SHOWN = 5;

/** The overview's view of alerts: how many are open per severity, and the most pressing few. */
export function AlertsSummary() {
  const { alerts } = useSession();
  const { t, f } = useI18n();
  useAlerts(alerts);
  const counts = alerts.counts();
  const unresolved = alerts.unresolved();
  return (
    <section class="panel alerts" aria-labelledby="alerts-label" data-testid="alerts-summary">
      <h2 id="alerts-label" class="panel-title">
        <a href={routeHref('alerts')}>{t('alerts.title')}</a>
      </h2>
      <dl class="severity-counts">
        {SEVERITY_ORDER.map((severity) => (
          <div key={severity} class={`severity-count severity-${severity}`} data-testid={`alerts-count-${severity}`}>
            <dt>
              <AlertSeverity severity={severity} />
            </dt>
            <dd>
              <strong>{f.number(counts[severity].open, 0)}</strong>
              {counts[severity].acknowledged > 0 && (
                <span class="muted"> {t('alerts.plusAcknowledged', { count: counts[severity].acknowledged })}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {unresolved.length === 0 ? (
        <p class="muted">{t('alerts.none')}</p>
      ) : (
        <ul class="alert-lines">
          {unresolved.slice(0, SHOWN).map((alert) => (
            <li key={alert.id}>
              <span class="alert-line-severity">{alert.severity}</span> {alert.title}{' '}
              <span class="muted">· {f.shortDateTime(Date.parse(alert.openedAt))}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
