import { useI18n } from '../app/contexts';

/** A load in progress or failed, with a way to try again. */
export function LoadState({ loading, error, onRetry }: { loading: boolean; error?: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error) {
    return (
      <div class="notice notice-error" role="alert">
        {t('app.loadError', { message: error.message })}{' '}
        {onRetry && (
          <button type="button" class="button" onClick={onRetry}>
            {t('app.retry')}
          </button>
        )}
      </div>
    );
  }
  if (loading)
    return (
      <p class="notice" role="status">
        {t('app.loading')}
      </p>
    );
  return null;
}
