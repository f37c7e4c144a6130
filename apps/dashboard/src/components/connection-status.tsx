import { useI18n } from '../app/contexts';
import { useLiveTick, useNow } from '../app/hooks';
import { connectionView, type ConnectionKind } from '../live/connection-view';
import type { LinkState } from '../live/live-client';
import type { LiveStore } from '../live/live-store';
import { LevelBadge, type Tone } from './level-badge';

const TONES: Record<ConnectionKind, Tone> = {
  live: 'ok',
  connecting: 'neutral',
  reconnecting: 'warn',
  stale: 'warn',
  refused: 'bad',
  unauthorised: 'bad',
};

/** Always on screen: is the stream live, reconnecting or stale, and how old the newest value is. */
export function ConnectionStatus({ link, store }: { link: LinkState; store: LiveStore }) {
  const { t, f } = useI18n();
  // Ticks every second for the age, and with each frame of live values so a first value shows at once.
  useLiveTick(store);
  useNow(1000);
  const now = Date.now();
  const view = connectionView(link, store.pointClocks(), now);
  return (
    <div class="connection" data-testid="connection" data-state={view.kind}>
      <span class="visually-hidden">{t('conn.label')}: </span>
      {/* Only the state is announced; the age below ticks every second and would be noise. */}
      <span role="status" aria-live="polite">
        <LevelBadge tone={TONES[view.kind]} text={t(`conn.${view.kind}`)} />
      </span>
      <span class="connection-age">{view.ageMs === null ? t('conn.noValue') : t('conn.lastValue', { age: f.age(view.ageMs) })}</span>
    </div>
  );
}
