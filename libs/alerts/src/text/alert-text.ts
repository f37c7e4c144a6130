import type { Lang } from '@hallwatch/calc';
import { SOURCE_ASSET } from '../rules';
import { RULE_KINDS, RuleKindTexts } from './alert-catalogue';
import { AlertBreach, AlertFacts } from './alert-facts';
import { nameIn } from './place-name';

export const LANGS = ['zh-TW', 'en'] as const satisfies readonly Lang[];
export const DEFAULT_LANG: Lang = 'zh-TW';

export interface AlertTexts {
  title: string;
  detail: string;
}

const number = (value: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 }).format(value);
const withUnit = (value: number, unit: string) => `${number(value)}${unit ? ` ${unit}` : ''}`;

/** Seconds under a minute, minutes under two hours, hours beyond. */
export function durationText(seconds: number, lang: Lang): string {
  const zh = lang === 'zh-TW';
  if (seconds < 60) return zh ? `${Math.round(seconds)} 秒` : `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return zh ? `${minutes} 分鐘` : `${minutes} min`;
  const hours = Number((minutes / 60).toFixed(1));
  return zh ? `${hours} 小時` : `${hours} h`;
}

/** Site, floor and equipment by their registry names: `示範市政府大樓 冰水主機 1`, `Demo City Hall 2F East zone`. */
export function placeText(facts: Pick<AlertFacts, 'site' | 'floor' | 'asset'>, lang: Lang): string {
  const asset = facts.asset === null ? null : nameIn(facts.asset, lang);
  // A zone named `2F 東辦公區` says its floor already.
  const floor = facts.floor && !(asset ?? '').split(/\s+/).includes(facts.floor) ? facts.floor : null;
  return [nameIn(facts.site, lang), floor, asset].filter(Boolean).join(' ');
}

/** The starter-pack texts of the alert's kind; none for a rule written by hand. */
function kindTexts(facts: Pick<AlertFacts, 'kind'> | null): RuleKindTexts | undefined {
  return facts?.kind && Object.hasOwn(RULE_KINDS, facts.kind) ? RULE_KINDS[facts.kind] : undefined;
}

function subjectOf(breach: AlertBreach, texts: RuleKindTexts | undefined, lang: Lang): string {
  const known = texts?.subject[lang];
  if (known) return known;
  if (breach.pointName) return nameIn(breach.pointName, lang);
  // A point named by its unit (kW) is said by the value's unit alone: `980 kW`, not `kW 980 kW`.
  return breach.point.point === breach.unit ? '' : breach.point.point;
}

/** One finding as a clause: `冰水進出水溫差 2.1 °C，低於 4 °C 已 15 分鐘` / `chilled-water delta-T 2.1 °C, below 4 °C for 15 min`. */
function clause(breach: AlertBreach, texts: RuleKindTexts | undefined, lang: Lang): string {
  const zh = lang === 'zh-TW';
  const subject = subjectOf(breach, texts, lang);
  const note = breach.note ? (zh ? `（${breach.note}）` : ` (${breach.note})`) : '';
  // A rule without a duration (0 s) says none.
  const during =
    breach.seconds === null || breach.seconds < 1
      ? ''
      : zh
        ? ` 已 ${durationText(breach.seconds, lang)}`
        : ` for ${durationText(breach.seconds, lang)}`;
  if (breach.point.asset === SOURCE_ASSET) {
    const server = breach.point.point.replace(/^opcua:/, '');
    return zh ? `OPC UA 伺服器 ${server}${during}無法連線${note}` : `OPC UA server ${server} unreachable${during}${note}`;
  }
  if (texts?.state && breach.type === 'threshold') return `${texts.state.on[lang]}${during}${note}`;
  switch (breach.type) {
    case 'no-data':
      return zh
        ? `${subject === '讀數' ? '' : `${subject} `}${during.trim()}沒有讀數`
        : `no ${subject === 'readings' ? '' : `${subject} `}readings${during}`;
    case 'rate-of-change': {
      const unit = breach.unit ? `${breach.unit}/` : '';
      return zh
        ? `${subject}每分鐘 ${withUnit(breach.value ?? 0, breach.unit)}，高於每分鐘 ${withUnit(breach.limit ?? 0, breach.unit)}`
        : `${subject} ${number(breach.value ?? 0)} ${unit}min, above ${number(breach.limit ?? 0)} ${unit}min`;
    }
    case 'demand-forecast':
      return zh
        ? `${subject} ${withUnit(breach.value ?? 0, breach.unit)}，高於契約容量 ${withUnit(breach.limit ?? 0, breach.unit)}`
        : `${subject} ${withUnit(breach.value ?? 0, breach.unit)}, above the contract capacity ${withUnit(breach.limit ?? 0, breach.unit)}`;
    case 'threshold': {
      const way = breach.direction === 'below' ? (zh ? '低於' : 'below') : zh ? '高於' : 'above';
      const value = withUnit(breach.value ?? 0, breach.unit);
      const limit = withUnit(breach.limit ?? 0, breach.unit);
      const lead = subject ? `${subject} ` : '';
      return zh ? `${lead}${value}，${way} ${limit}${during}${note}` : `${lead}${value}, ${way} ${limit}${during}${note}`;
    }
  }
}

/**
 * An alert's title and detail in one language, from its facts: the place, each finding with its value,
 * limit and duration, and what to check. e.g. `示範市政府大樓 冰水主機 1：冰水進出水溫差 2.1 °C，低於 4 °C 已 20 分鐘。請檢查冰水流量與旁通閥。`
 */
export function renderAlert(facts: AlertFacts, lang: Lang, fallbackTitle: string): AlertTexts {
  const zh = lang === 'zh-TW';
  const place = placeText(facts, lang);
  const texts = kindTexts(facts);
  const clauses = facts.breaches.map((breach) => clause(breach, texts, lang));
  const sentences: string[] = [];
  if (clauses.length > 0) sentences.push(zh ? `${place}：${clauses.join('；')}。` : `${place}: ${clauses.join('; ')}.`);
  if (texts) sentences.push(texts.advice[lang]);
  if (facts.reopened) sentences.push(zh ? '手動解除後狀況仍在，已重新開啟。' : 'Re-opened: it still held after being resolved by hand.');
  return { title: facts.names?.[lang] ?? fallbackTitle, detail: sentences.join(zh ? '' : ' ') };
}

/** Both languages at once: what the live stream and the API carry beside the requested one. */
export function alertTexts(facts: AlertFacts, fallbackTitle: string): Record<Lang, AlertTexts> {
  return { 'zh-TW': renderAlert(facts, 'zh-TW', fallbackTitle), en: renderAlert(facts, 'en', fallbackTitle) };
}

export type ResolutionReason = 'cleared' | 'not-running' | 'unoccupied' | 'outside-schedule';

/** Why a rule resolved its alert, in one language: back to normal (with the value), or the rule stopped applying. */
export function resolutionText(facts: AlertFacts | null, reason: ResolutionReason, value: number | null, lang: Lang): string {
  const zh = lang === 'zh-TW';
  switch (reason) {
    case 'not-running':
      return zh
        ? '設備已停止運轉（此規則只在運轉時適用），已解除。'
        : 'Resolved: the equipment stopped (the rule applies only while it runs).';
    case 'unoccupied':
      return zh
        ? '已離開使用時段（此規則只在使用時段適用），已解除。'
        : 'Resolved: outside occupied hours (the rule applies only in them).';
    case 'outside-schedule':
      return zh ? '已過此規則的適用時段，已解除。' : "Resolved: outside the rule's active hours.";
    case 'cleared': {
      const breach = facts?.breaches[0];
      if (breach?.point.asset === SOURCE_ASSET) {
        const server = breach.point.point.replace(/^opcua:/, '');
        return zh ? `OPC UA 伺服器 ${server} 已恢復連線。` : `OPC UA server ${server} is reachable again.`;
      }
      if (breach?.type === 'no-data') return zh ? '讀數已恢復。' : 'Readings are back.';
      const texts = kindTexts(facts);
      if (texts?.state) return zh ? `${texts.state.off[lang]}。` : `Resolved: ${texts.state.off[lang]}.`;
      if (!breach || value === null || breach.type !== 'threshold') return zh ? '已恢復正常。' : 'Back to normal.';
      const subject = subjectOf(breach, texts, lang);
      const now = `${subject ? `${subject} ` : ''}${withUnit(value, breach.unit)}`;
      return zh ? `已恢復正常：${now}。` : `Back to normal: ${now}.`;
    }
  }
}
