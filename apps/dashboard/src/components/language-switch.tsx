import { useI18n } from '../app/contexts';
import { LOCALES, type Locale } from '../format/format';

const NAMES: Record<Locale, string> = { 'zh-TW': '中文', en: 'English' };

/** 中文 | English, each button named in its own language; the choice is remembered. */
export function LanguageSwitch({ onChange }: { onChange: (locale: Locale) => void }) {
  const { t, locale } = useI18n();
  return (
    <div class="segmented" role="group" aria-label={t('app.language')}>
      {LOCALES.map((candidate) => (
        <button
          key={candidate}
          type="button"
          class="segment"
          lang={candidate === 'zh-TW' ? 'zh-Hant-TW' : 'en'}
          aria-pressed={candidate === locale}
          data-testid={`lang-${candidate}`}
          onClick={() => onChange(candidate)}
        >
          {NAMES[candidate]}
        </button>
      ))}
    </div>
  );
}
