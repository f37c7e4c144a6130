import type { Lang } from '@hallwatch/calc';

type Texts = Record<Lang, string>;

/** One kind of starter-pack rule in both languages: its name, what it measures, and what to check. */
export interface RuleKindTexts {
  /** The rule's name, given the place it watches (an asset's name, or an OPC UA server's key). */
  name: (place: string, lang: Lang) => string;
  /** What the value is, in a sentence: `冰水進出水溫差` / `chilled-water delta-T`. */
  subject: Texts;
  advice: Texts;
  /** For a status point (an alarm contact): the state said in words, not as `1 above 0.5`. */
  state?: { on: Texts; off: Texts };
}

const named = (zh: string, en: string) => (place: string, lang: Lang) => (lang === 'zh-TW' ? `${place}：${zh}` : `${place}: ${en}`);

/** The starter pack's kinds (libs/alerts/src/rules/starter-pack.ts). Limits follow DOMAIN.md. */
export const RULE_KINDS: Record<string, RuleKindTexts> = {
  'chiller-kw-per-rt': {
    name: named('效率高於 1.0 kW/RT 達 15 分鐘', 'kW/RT above 1.0 for 15 min'),
    subject: { 'zh-TW': '效率', en: 'efficiency' },
    advice: {
      'zh-TW': '請檢查冷凝器是否結垢、冷卻水溫度與各主機的負載分配。',
      en: 'Check the condenser for fouling, the condenser-water temperature and how the load is shared between chillers.',
    },
  },
  'chiller-low-delta-t': {
    name: named('冰水進出水溫差低於 4 °C 達 20 分鐘', 'chilled-water delta-T below 4 °C for 20 min'),
    subject: { 'zh-TW': '冰水進出水溫差', en: 'chilled-water delta-T' },
    advice: { 'zh-TW': '請檢查冰水流量與旁通閥。', en: 'Check chilled-water flow and the bypass valve.' },
  },
  'zone-setpoint-policy': {
    name: named('溫度設定低於 26 °C（政策 26-28 °C）', 'setpoint below 26 °C (policy 26-28 °C)'),
    subject: { 'zh-TW': '溫度設定', en: 'setpoint' },
    advice: { 'zh-TW': '請將溫度設定調回政策的 26-28 °C。', en: 'Set it back within the 26-28 °C policy.' },
  },
  'zone-too-warm': {
    name: named('室溫高於 28 °C 達 15 分鐘', 'room temperature above 28 °C for 15 min'),
    subject: { 'zh-TW': '室溫', en: 'room temperature' },
    advice: {
      'zh-TW': '請檢查空調箱運轉、冰水閥與溫度設定。',
      en: 'Check the air handling unit, its chilled-water valve and the setpoint.',
    },
  },
  'zone-too-cold': {
    name: named('室溫低於 25 °C 達 30 分鐘', 'room temperature below 25 °C for 30 min'),
    subject: { 'zh-TW': '室溫', en: 'room temperature' },
    advice: {
      'zh-TW': '請檢查溫度設定與空調箱冰水閥（過冷浪費能源）。',
      en: "Check the setpoint and the air handling unit's chilled-water valve (over-cooling wastes energy).",
    },
  },
  co2: {
    name: named('二氧化碳濃度高於 1,000 ppm 達 30 分鐘', 'CO2 above 1,000 ppm for 30 min'),
    subject: { 'zh-TW': '二氧化碳濃度', en: 'CO2' },
    advice: { 'zh-TW': '請增加外氣量或檢查外氣風門。', en: 'Bring in more outdoor air or check the outdoor-air damper.' },
  },
  'meter-offline': {
    name: named('15 分鐘沒有讀數', 'no readings for 15 min'),
    subject: { 'zh-TW': '讀數', en: 'readings' },
    advice: {
      'zh-TW': '請檢查電表通訊（閘道器、通訊線與電源）。',
      en: "Check the meter's communication (gateway, cable and power).",
    },
  },
  'water-night-flow': {
    name: named('夜間仍有用水（可能漏水）', 'water flowing at night (possible leak)'),
    subject: { 'zh-TW': '夜間用水', en: 'night water use' },
    advice: {
      'zh-TW': '請巡查是否漏水（馬桶、水塔進水閥與管線）。',
      en: 'Check for leaks (toilets, tank inlet valves and pipes).',
    },
  },
  'demand-forecast': {
    name: named('15 分鐘需量預測超過契約容量', '15-minute demand forecast above the contract capacity'),
    subject: { 'zh-TW': '15 分鐘需量預測', en: '15-minute demand forecast' },
    advice: {
      'zh-TW': '請依卸載計畫降低負載（空調、照明）。',
      en: 'Shed load as the shedding plan says (air conditioning, lighting).',
    },
  },
  'night-patrol': {
    name: named('非上班時間用電高於夜間基準負載（夜間用電巡檢）', 'after-hours load above the normal night base load (night patrol)'),
    subject: { 'zh-TW': '非上班時間用電', en: 'after-hours load' },
    advice: {
      'zh-TW': '請巡查未關閉的空調、照明與設備。',
      en: 'Walk round for air conditioning, lighting and equipment left on.',
    },
  },
  'equipment-alarm': {
    name: named('設備警報（跳機或故障）', 'equipment alarm (tripped or in fault)'),
    subject: { 'zh-TW': '設備警報', en: 'equipment alarm' },
    advice: {
      'zh-TW': '請到現場查看控制面板的警報代碼，排除原因後復歸；必要時先啟動備用設備。',
      en: "Read the alarm code on the equipment's control panel, clear the cause and reset it; start the standby unit first if needed.",
    },
    state: { on: { 'zh-TW': '設備警報中', en: 'in alarm' }, off: { 'zh-TW': '設備警報已復歸', en: 'the alarm has been reset' } },
  },
  'opcua-down': {
    name: (server, lang) =>
      lang === 'zh-TW' ? `OPC UA 伺服器 ${server} 無法連線達 1 分鐘` : `OPC UA server ${server} unreachable for 1 min`,
    subject: { 'zh-TW': '連線', en: 'connection' },
    advice: { 'zh-TW': '請檢查伺服器電源與網路。', en: "Check the server's power and the network." },
  },
};

/** A starter-pack rule's names in both languages. */
export function ruleNames(kind: string, place: (lang: Lang) => string): Record<Lang, string> {
  const texts = RULE_KINDS[kind];
  return { 'zh-TW': texts.name(place('zh-TW'), 'zh-TW'), en: texts.name(place('en'), 'en') };
}
