import type { Lang } from '@hallwatch/calc';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Floor and unit codes that belong to whichever language they follow: `1`, `2F`, `B1-6F`, `7F-12F`. */
const CODE = /^[A-Z]?\d+[A-Za-z]?(?:[-–][A-Z]?\d+[A-Za-z]?)?[,.]?$|^[^\p{L}\p{N}]+$/u;

type Script = 'zh' | 'en' | 'code';
const scriptOf = (token: string): Script => (HAN.test(token) ? 'zh' : CODE.test(token) ? 'code' : 'en');

/**
 * A registry name in one language. The registry writes names in both, interleaved
 * (`冰水主機 1 Chiller 1`, `2F 東 East 辦公區 zone`): Chinese words go to zh-TW, the rest to English,
 * and a code (`1`, `2F`) to the language of the word before it, or to both when it leads.
 * A name in one script only is the same in both languages.
 */
export function nameIn(name: string, lang: Lang): string {
  const tokens = name.trim().split(/\s+/);
  const scripts = tokens.map(scriptOf);
  if (!scripts.includes('zh') || !scripts.includes('en')) return name.trim();
  const want = lang === 'zh-TW' ? 'zh' : 'en';
  let previous: Script | null = null;
  const kept: string[] = [];
  tokens.forEach((token, i) => {
    const script = scripts[i];
    if (script !== 'code') previous = script;
    if (script === want || (script === 'code' && (previous === null || previous === want))) kept.push(token);
  });
  if (want === 'en') return kept.join(' ');
  // Chinese words run together; a space only beside a code or a Latin word.
  return kept.reduce(
    (text, token) => (text && HAN.test(text.at(-1)!) && HAN.test(token[0]) ? text + token : text ? `${text} ${token}` : token),
    '',
  );
}
