import type { Severity } from '../api/api-types';
import { useI18n } from '../app/contexts';
import { LevelBadge, type Tone } from './level-badge';

const TONES: Record<Severity, Tone> = { P1: 'bad', P2: 'bad', P3: 'warn', P4: 'neutral' };

/** P1-P4 with its meaning, in colour with a shape. */
export function AlertSeverity({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <LevelBadge tone={TONES[severity]} text={`${severity} ${t(`alerts.severity.${severity}`)}`} />;
}
