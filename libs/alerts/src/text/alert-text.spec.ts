import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { starterPack } from '../rules/starter-pack';
import { ruleNames } from './alert-catalogue';
import { AlertBreach, AlertFacts } from './alert-facts';
import { renderAlert, resolutionText } from './alert-text';
import { nameIn } from './place-name';

const site = loadRegistryFile(join(__dirname, '../../../../registry/demo-city-hall.yaml')).sites[0];
const rules = starterPack(site);
const DEMO = '示範市政府大樓 Demo City Hall';

const breach = (asset: string, point: string, found: Partial<AlertBreach>): AlertBreach => ({
  type: 'threshold',
  point: { asset, point },
  value: null,
  limit: null,
  direction: null,
  seconds: null,
  unit: '',
  pointName: null,
  ...found,
});

/** The facts of a starter-pack rule's alert on the demo city hall, its names taken from the rule the pack made. */
function factsOf(kind: string, target: string, asset: string | null, floor: string | null, found: AlertBreach): AlertFacts {
  const rule = rules.find((r) => r.id === `starter.demo-city-hall.${kind}.${target}`);
  return {
    kind,
    names: rule?.names ?? ruleNames(kind, () => target),
    site: DEMO,
    floor,
    asset,
    target,
    breaches: [found],
    reopened: false,
  };
}

describe('registry names in one language', () => {
  it.each([
    ['冰水主機 1 Chiller 1', '冰水主機 1', 'Chiller 1'],
    ['2F 東 East 辦公區 zone', '2F 東辦公區', '2F East zone'],
    ['照明 B1-6F Lighting, low floors', '照明 B1-6F', 'Lighting, low floors'],
    ['示範市政府大樓 Demo City Hall', '示範市政府大樓', 'Demo City Hall'],
    ['空調箱 2F AHU 2F', '空調箱 2F', 'AHU 2F'],
    ['Test city hall', 'Test city hall', 'Test city hall'],
    ['總受電盤', '總受電盤', '總受電盤'],
  ])('%s', (name, zh, en) => {
    expect(nameIn(name, 'zh-TW')).toBe(zh);
    expect(nameIn(name, 'en')).toBe(en);
  });
});

describe('alert texts in both languages, one per starter-pack rule type', () => {
  // [kind, target, asset name, floor, breach, zh title, zh detail, en title, en detail]
  const cases: Array<[string, string, string | null, string | null, AlertBreach, string, string, string, string]> = [
    [
      'equipment-alarm',
      'chiller-1',
      '冰水主機 1 Chiller 1',
      null,
      // An alarm contact is said as a state, never as `1 above 0.5`.
      breach('chiller-1', 'alarm', { value: 1, limit: 0.5, direction: 'above', seconds: 0 }),
      '冰水主機 1：設備警報（跳機或故障）',
      '示範市政府大樓 冰水主機 1：設備警報中。請到現場查看控制面板的警報代碼，排除原因後復歸；必要時先啟動備用設備。',
      'Chiller 1: equipment alarm (tripped or in fault)',
      "Demo City Hall Chiller 1: in alarm. Read the alarm code on the equipment's control panel, clear the cause and reset it; start the standby unit first if needed.",
    ],
    [
      'chiller-low-delta-t',
      'chiller-1',
      '冰水主機 1 Chiller 1',
      null,
      breach('chiller-1', 'deltaT', { value: 2.1, limit: 4, direction: 'below', seconds: 1200, unit: '°C' }),
      '冰水主機 1：冰水進出水溫差低於 4 °C 達 20 分鐘',
      '示範市政府大樓 冰水主機 1：冰水進出水溫差 2.1 °C，低於 4 °C 已 20 分鐘。請檢查冰水流量與旁通閥。',
      'Chiller 1: chilled-water delta-T below 4 °C for 20 min',
      'Demo City Hall Chiller 1: chilled-water delta-T 2.1 °C, below 4 °C for 20 min. Check chilled-water flow and the bypass valve.',
    ],
    [
      'chiller-kw-per-rt',
      'chiller-2',
      '冰水主機 2 Chiller 2',
      null,
      breach('chiller-2', 'kWPerRt', { value: 1.234, limit: 1, direction: 'above', seconds: 900, unit: 'kW/RT' }),
      '冰水主機 2：效率高於 1.0 kW/RT 達 15 分鐘',
      '示範市政府大樓 冰水主機 2：效率 1.23 kW/RT，高於 1 kW/RT 已 15 分鐘。請檢查冷凝器是否結垢、冷卻水溫度與各主機的負載分配。',
      'Chiller 2: kW/RT above 1.0 for 15 min',
      'Demo City Hall Chiller 2: efficiency 1.23 kW/RT, above 1 kW/RT for 15 min. Check the condenser for fouling, the condenser-water temperature and how the load is shared between chillers.',
    ],
    [
      'zone-setpoint-policy',
      'zone-2f-east',
      '2F 東 East 辦公區 zone',
      '2F',
      breach('zone-2f-east', 'setpoint', { value: 24, limit: 26, direction: 'below', seconds: 600, unit: '°C' }),
      '2F 東辦公區：溫度設定低於 26 °C（政策 26-28 °C）',
      '示範市政府大樓 2F 東辦公區：溫度設定 24 °C，低於 26 °C 已 10 分鐘。請將溫度設定調回政策的 26-28 °C。',
      '2F East zone: setpoint below 26 °C (policy 26-28 °C)',
      'Demo City Hall 2F East zone: setpoint 24 °C, below 26 °C for 10 min. Set it back within the 26-28 °C policy.',
    ],
    [
      'zone-too-warm',
      'zone-5f-west',
      '5F 西 West 辦公區 zone',
      '5F',
      breach('zone-5f-west', 'temp', { value: 29.3, limit: 28, direction: 'above', seconds: 900, unit: '°C' }),
      '5F 西辦公區：室溫高於 28 °C 達 15 分鐘',
      '示範市政府大樓 5F 西辦公區：室溫 29.3 °C，高於 28 °C 已 15 分鐘。請檢查空調箱運轉、冰水閥與溫度設定。',
      '5F West zone: room temperature above 28 °C for 15 min',
      'Demo City Hall 5F West zone: room temperature 29.3 °C, above 28 °C for 15 min. Check the air handling unit, its chilled-water valve and the setpoint.',
    ],
    [
      'zone-too-cold',
      'zone-8f-east',
      '8F 東 East 辦公區 zone',
      '8F',
      breach('zone-8f-east', 'temp', { value: 24.2, limit: 25, direction: 'below', seconds: 1800, unit: '°C' }),
      '8F 東辦公區：室溫低於 25 °C 達 30 分鐘',
      '示範市政府大樓 8F 東辦公區：室溫 24.2 °C，低於 25 °C 已 30 分鐘。請檢查溫度設定與空調箱冰水閥（過冷浪費能源）。',
      '8F East zone: room temperature below 25 °C for 30 min',
      "Demo City Hall 8F East zone: room temperature 24.2 °C, below 25 °C for 30 min. Check the setpoint and the air handling unit's chilled-water valve (over-cooling wastes energy).",
    ],
    [
      'co2',
      'zone-11f-east',
      '11F 東 East 辦公區 zone',
      '11F',
      breach('zone-11f-east', 'co2', { value: 1234, limit: 1000, direction: 'above', seconds: 1860, unit: 'ppm' }),
      '11F 東辦公區：二氧化碳濃度高於 1,000 ppm 達 30 分鐘',
      '示範市政府大樓 11F 東辦公區：二氧化碳濃度 1,234 ppm，高於 1,000 ppm 已 31 分鐘。請增加外氣量或檢查外氣風門。',
      '11F East zone: CO2 above 1,000 ppm for 30 min',
      'Demo City Hall 11F East zone: CO2 1,234 ppm, above 1,000 ppm for 31 min. Bring in more outdoor air or check the outdoor-air damper.',
    ],
    [
      'meter-offline',
      'main-incomer',
      '總受電盤 Main incomer',
      null,
      breach('main-incomer', 'kWh', { type: 'no-data', seconds: 960, unit: 'kWh' }),
      '總受電盤：15 分鐘沒有讀數',
      '示範市政府大樓 總受電盤：已 16 分鐘沒有讀數。請檢查電表通訊（閘道器、通訊線與電源）。',
      'Main incomer: no readings for 15 min',
      "Demo City Hall Main incomer: no readings for 16 min. Check the meter's communication (gateway, cable and power).",
    ],
    [
      'water-night-flow',
      'water-main',
      '自來水總表 Mains water meter',
      null,
      breach('water-main', 'm3', { type: 'rate-of-change', value: 0.02, limit: 0.01, direction: 'above', seconds: 1800, unit: 'm³' }),
      '自來水總表：夜間仍有用水（可能漏水）',
      '示範市政府大樓 自來水總表：夜間用水每分鐘 0.02 m³，高於每分鐘 0.01 m³。請巡查是否漏水（馬桶、水塔進水閥與管線）。',
      'Mains water meter: water flowing at night (possible leak)',
      'Demo City Hall Mains water meter: night water use 0.02 m³/min, above 0.01 m³/min. Check for leaks (toilets, tank inlet valves and pipes).',
    ],
    [
      'demand-forecast',
      'main-incomer',
      '總受電盤 Main incomer',
      null,
      breach('main-incomer', 'kW', { type: 'demand-forecast', value: 6612.4, limit: 6000, direction: 'above', unit: 'kW' }),
      '總受電盤：15 分鐘需量預測超過契約容量',
      '示範市政府大樓 總受電盤：15 分鐘需量預測 6,612 kW，高於契約容量 6,000 kW。請依卸載計畫降低負載（空調、照明）。',
      'Main incomer: 15-minute demand forecast above the contract capacity',
      'Demo City Hall Main incomer: 15-minute demand forecast 6,612 kW, above the contract capacity 6,000 kW. Shed load as the shedding plan says (air conditioning, lighting).',
    ],
    [
      'night-patrol',
      'main-incomer',
      '總受電盤 Main incomer',
      null,
      breach('main-incomer', 'kW', { value: 842.6, limit: 720, direction: 'above', seconds: 1800, unit: 'kW' }),
      '總受電盤：非上班時間用電高於夜間基準負載（夜間用電巡檢）',
      '示範市政府大樓 總受電盤：非上班時間用電 843 kW，高於 720 kW 已 30 分鐘。請巡查未關閉的空調、照明與設備。',
      'Main incomer: after-hours load above the normal night base load (night patrol)',
      'Demo City Hall Main incomer: after-hours load 843 kW, above 720 kW for 30 min. Walk round for air conditioning, lighting and equipment left on.',
    ],
    [
      'opcua-down',
      'plc-1',
      null,
      null,
      breach('$source', 'opcua:plc-1', { value: 0, limit: 0.5, direction: 'below', seconds: 60, note: 'connection refused' }),
      'OPC UA 伺服器 plc-1 無法連線達 1 分鐘',
      '示範市政府大樓：OPC UA 伺服器 plc-1 已 1 分鐘無法連線（connection refused）。請檢查伺服器電源與網路。',
      'OPC UA server plc-1 unreachable for 1 min',
      "Demo City Hall: OPC UA server plc-1 unreachable for 1 min (connection refused). Check the server's power and the network.",
    ],
  ];

  it.each(cases)('%s on %s', (kind, target, asset, floor, found, zhTitle, zhDetail, enTitle, enDetail) => {
    const facts = factsOf(kind, target, asset, floor, found);
    expect(renderAlert(facts, 'zh-TW', 'unused')).toEqual({ title: zhTitle, detail: zhDetail });
    expect(renderAlert(facts, 'en', 'unused')).toEqual({ title: enTitle, detail: enDetail });
  });

  it('covers every kind the starter pack makes', () => {
    const made = new Set(rules.map((rule) => rule.kind));
    // The demo registry has no OPC UA server; its kind is covered above all the same.
    expect([...made].sort()).toEqual(
      cases
        .map(([kind]) => kind)
        .filter((kind) => kind !== 'opcua-down')
        .sort(),
    );
    for (const rule of rules) expect(rule.name).toBe(rule.names!.en);
  });

  it("says the place as the issue's example does, floor included", () => {
    const facts: AlertFacts = {
      ...factsOf('chiller-low-delta-t', 'chiller-1', '冰水主機 1 Chiller 1', 'B1', breach('chiller-1', 'deltaT', {})),
      site: '市府大樓 City Hall',
      breaches: [breach('chiller-1', 'deltaT', { value: 2.1, limit: 4, direction: 'below', seconds: 900, unit: '°C' })],
    };
    expect(renderAlert(facts, 'zh-TW', '').detail).toBe(
      '市府大樓 B1 冰水主機 1：冰水進出水溫差 2.1 °C，低於 4 °C 已 15 分鐘。請檢查冰水流量與旁通閥。',
    );
    expect(renderAlert(facts, 'en', '').detail).toBe(
      'City Hall B1 Chiller 1: chilled-water delta-T 2.1 °C, below 4 °C for 15 min. Check chilled-water flow and the bypass valve.',
    );
  });

  it('says a point named by its unit once: 980 kW, not kW 980 kW', () => {
    const facts: AlertFacts = {
      kind: null,
      names: null,
      site: 'Test city hall',
      floor: null,
      asset: 'Main incomer',
      target: 'main-incomer',
      breaches: [breach('main-incomer', 'kW', { value: 980, limit: 900, direction: 'above', seconds: 0, unit: 'kW' })],
      reopened: false,
    };
    expect(renderAlert(facts, 'zh-TW', 'Demand above 900 kW').detail).toBe('Test city hall Main incomer：980 kW，高於 900 kW。');
    expect(renderAlert(facts, 'en', 'Demand above 900 kW').detail).toBe('Test city hall Main incomer: 980 kW, above 900 kW.');
  });

  it('tells a rule written by hand by its point, with its own title, and says when an alert re-opened', () => {
    const facts: AlertFacts = {
      kind: null,
      names: null,
      site: 'Test city hall',
      floor: null,
      asset: 'Chiller 1',
      target: 'chiller-1',
      breaches: [breach('chiller-1', 'chwsT', { value: 10.2, limit: 9, direction: 'above', seconds: 600, unit: '°C' })],
      reopened: true,
    };
    expect(renderAlert(facts, 'zh-TW', 'Chilled-water supply above 9 °C')).toEqual({
      title: 'Chilled-water supply above 9 °C',
      detail: 'Test city hall Chiller 1：chwsT 10.2 °C，高於 9 °C 已 10 分鐘。手動解除後狀況仍在，已重新開啟。',
    });
    expect(renderAlert(facts, 'en', 'Chilled-water supply above 9 °C')).toEqual({
      title: 'Chilled-water supply above 9 °C',
      detail: 'Test city hall Chiller 1: chwsT 10.2 °C, above 9 °C for 10 min. Re-opened: it still held after being resolved by hand.',
    });
  });
});

describe('why a rule resolved its alert, in both languages', () => {
  const delta = factsOf(
    'chiller-low-delta-t',
    'chiller-1',
    '冰水主機 1 Chiller 1',
    null,
    breach('chiller-1', 'deltaT', { value: 2.1, limit: 4, direction: 'below', seconds: 1200, unit: '°C' }),
  );
  it.each([
    ['cleared', 5.2, '已恢復正常：冰水進出水溫差 5.2 °C。', 'Back to normal: chilled-water delta-T 5.2 °C.'],
    ['cleared', null, '已恢復正常。', 'Back to normal.'],
    [
      'not-running',
      0,
      '設備已停止運轉（此規則只在運轉時適用），已解除。',
      'Resolved: the equipment stopped (the rule applies only while it runs).',
    ],
    [
      'unoccupied',
      null,
      '已離開使用時段（此規則只在使用時段適用），已解除。',
      'Resolved: outside occupied hours (the rule applies only in them).',
    ],
    ['outside-schedule', null, '已過此規則的適用時段，已解除。', "Resolved: outside the rule's active hours."],
  ] as const)('%s at %s', (reason, value, zh, en) => {
    expect(resolutionText(delta, reason, value, 'zh-TW')).toBe(zh);
    expect(resolutionText(delta, reason, value, 'en')).toBe(en);
  });
  it('says an alarm was reset, not a number', () => {
    const alarm = factsOf(
      'equipment-alarm',
      'chiller-1',
      '冰水主機 1 Chiller 1',
      null,
      breach('chiller-1', 'alarm', { value: 1, limit: 0.5, direction: 'above', seconds: 0 }),
    );
    expect([resolutionText(alarm, 'cleared', 0, 'zh-TW'), resolutionText(alarm, 'cleared', 0, 'en')]).toEqual([
      '設備警報已復歸。',
      'Resolved: the alarm has been reset.',
    ]);
  });
  it('says a meter and an OPC UA server are back', () => {
    const meter = factsOf(
      'meter-offline',
      'main-incomer',
      '總受電盤 Main incomer',
      null,
      breach('main-incomer', 'kWh', { type: 'no-data', seconds: 960 }),
    );
    expect([resolutionText(meter, 'cleared', 12, 'zh-TW'), resolutionText(meter, 'cleared', 12, 'en')]).toEqual([
      '讀數已恢復。',
      'Readings are back.',
    ]);
    const plc = factsOf(
      'opcua-down',
      'plc-1',
      null,
      null,
      breach('$source', 'opcua:plc-1', { value: 0, limit: 0.5, direction: 'below', seconds: 60 }),
    );
    expect([resolutionText(plc, 'cleared', 1, 'zh-TW'), resolutionText(plc, 'cleared', 1, 'en')]).toEqual([
      'OPC UA 伺服器 plc-1 已恢復連線。',
      'OPC UA server plc-1 is reachable again.',
    ]);
  });
});
