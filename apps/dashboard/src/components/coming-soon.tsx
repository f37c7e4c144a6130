import { useI18n } from '../app/contexts';
import { LevelBadge } from './level-badge';

/**
 * Where open alerts will be listed. The alert API (GET /api/v1/alerts, socket `alert` events) is
 * not there yet; this panel says so rather than showing an empty list that looks like "no alerts".
 */
export function AlertsPanel() {
  const { t } = useI18n();
  return (
    <section class="panel alerts" aria-labelledby="alerts-label" data-testid="alerts-panel">
      <h2 id="alerts-label" class="panel-title">
        {t('alerts.title')} <LevelBadge tone="neutral" text={t('alerts.soon')} />
      </h2>
      <p>{t('alerts.body')}</p>
    </section>
  );
}

/** Features of the design that the API does not offer yet. */
export function ComingSoon() {
  const { t } = useI18n();
  return (
    <section class="panel coming-soon" aria-labelledby="soon-label">
      <h2 id="soon-label" class="panel-title">
        {t('soon.title')}
      </h2>
      <ul>
        <li>{t('soon.savings')}</li>
        <li>{t('soon.consumption')}</li>
      </ul>
    </section>
  );
}
