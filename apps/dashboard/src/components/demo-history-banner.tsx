import { useI18n } from '../app/contexts';

/**
 * The demo's first start loads years of history in the background: the overview says how far
 * ("載入示範歷史資料 42%") until it is done, so that numbers still filling in are not taken for the building's.
 */
export function DemoHistoryBanner({ progress }: { progress?: { percent: number; finished: boolean } | null }) {
  const { t } = useI18n();
  if (!progress || progress.finished) return null;
  return (
    <p class="notice" role="status" data-testid="demo-history">
      {t('overview.demoHistory', { percent: String(progress.percent) })}
    </p>
  );
}
