import { useI18n } from '../app/contexts';

/**
 * Beside a value its source marked uncertain (OPC UA Uncertain, Sparkplug quality 64, native
 * `quality: uncertain`): shown in words, with the reason on hover, never by colour alone.
 */
export function UncertainMark({ shown, testId }: { shown: boolean; testId?: string }) {
  const { t } = useI18n();
  if (!shown) return null;
  return (
    <span class="badge tone-warn uncertain-mark" title={t('quality.uncertainTitle')} data-testid={testId}>
      <span aria-hidden="true">?</span> {t('quality.uncertain')}
    </span>
  );
}
