import { join } from 'node:path';
import { ruleDefinitionSchema, starterPack } from '@hallwatch/alerts';
import { loadRegistryFile } from '@hallwatch/registry';
import { demoAlertRules, DemoFaultRotation } from './demo-faults';
import { ActiveFaults, applyValueFaults, createFaultMemory } from './faults';
import { BuildingModel } from './building.model';

const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe('the demo breaks something now and then', () => {
  it('starts with the starter pack, a rule for each zone above 28 °C and the watch rule of the first fault, all valid rules', () => {
    const rules = demoAlertRules(site).map((rule) => ruleDefinitionSchema.parse(rule));
    const ids = rules.map((rule) => rule.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'starter.demo-city-hall.chiller-low-delta-t.chiller-1',
        'starter.demo-city-hall.co2.zone-5f-east',
        'starter.demo-city-hall.night-patrol.main-incomer',
      ]),
    );
    expect(ids).toEqual(expect.arrayContaining(starterPack(site).map((rule) => rule.id)));
    const warm = rules.filter((rule) => rule.id.startsWith('demo.') && rule.id.includes('zone-too-warm'));
    expect(warm.map((rule) => rule.target).sort()).toEqual([
      'zone-11f-east',
      'zone-11f-west',
      'zone-2f-east',
      'zone-2f-west',
      'zone-5f-east',
      'zone-5f-west',
      'zone-8f-east',
      'zone-8f-west',
    ]);
    expect(warm[0].condition).toMatchObject({ type: 'threshold', above: 28, point: { point: 'temp' } });
    // the first fault's rule: 30 s, at any hour (no schedule), in the first zone with CO2
    const watch = rules.filter((rule) => rule.id.includes('co2-watch'));
    expect(watch).toEqual([
      expect.objectContaining({
        id: 'demo.demo-city-hall.co2-watch.zone-2f-east',
        condition: { type: 'threshold', point: { asset: 'zone-2f-east', point: 'co2' }, above: 1000, forSeconds: 30, hysteresis: 50 },
      }),
    ]);
    expect(watch[0].schedule).toBeUndefined();
  });

  it('starts a fault at the start and then every 2 hours, each for 45 minutes, by the time of day', () => {
    // Wednesday 2025-07-02 09:00 Taipei: office hours until 17:30.
    const start = at('2025-07-02T09:00:00+08:00');
    const rotation = new DemoFaultRotation([site], start);
    const begun: Array<{ kind: string; asset: string; from?: number; to?: number }> = [];
    for (let ts = start; ts < start + 24 * 60 * MINUTE; ts += MINUTE) begun.push(...rotation.due(ts));
    expect(begun.map((fault) => (fault.from! - start) / MINUTE)).toEqual([0, 120, 240, 360, 480, 600, 720, 840, 960, 1080, 1200, 1320]);
    expect(begun.every((fault) => fault.to! - fault.from! === 45 * MINUTE)).toBe(true);
    // 09:00 the watched zone's CO2 (the first fault, whatever the hour); 11:00, 13:00, 15:00 the
    // office-hours turns in order; 21:00 onwards (occupancy at night): a load left on.
    expect(begun.slice(0, 4).map((fault) => [fault.kind, fault.asset])).toEqual([
      ['co2-high', 'zone-2f-east'],
      ['zone-too-warm', 'zone-2f-west'],
      ['co2-high', 'zone-5f-east'],
      ['chiller-trip', 'chiller-1'],
    ]);
    expect([begun[4].kind, begun[4].asset]).toEqual(['chiller-low-delta-t', 'chiller-1']);
    expect(begun.slice(6, 10).map((fault) => fault.kind)).toEqual([
      'after-hours-load',
      'after-hours-load',
      'after-hours-load',
      'after-hours-load',
    ]);
  });

  it('makes values the rules catch: delta-T 1.5 °C, a zone at 29 °C, CO2 at 1,500 ppm, a night load above 40% of the contract', () => {
    const faults = new ActiveFaults([site]);
    const context = { site, seed: 104, memory: createFaultMemory() };
    const day = at('2025-07-02T10:00:00+08:00');
    faults.add({ kind: 'chiller-low-delta-t', asset: 'chiller-1', deltaT: 1.5 });
    faults.add({ kind: 'zone-too-warm', asset: 'zone-5f-east', temp: 29 });
    faults.add({ kind: 'co2-high', asset: 'zone-2f-east', ppm: 1500 });
    const model = new BuildingModel(site, 104);
    const values = applyValueFaults(model.sample(day), faults.list(), day, context);
    expect(values.get('chiller-1')!.chwrT - values.get('chiller-1')!.chwsT).toBeCloseTo(1.5, 1);
    expect(values.get('zone-5f-east')!.temp).toBeGreaterThan(28.9);
    expect(values.get('zone-2f-east')!.co2).toBeGreaterThan(1000);
    // A trip: the alarm contact the starter pack's equipment-alarm rule watches, and the Fault state.
    const trip = new ActiveFaults([site]);
    trip.add({ kind: 'chiller-trip', asset: 'chiller-1' });
    const tripped = applyValueFaults(new BuildingModel(site, 104).sample(day), trip.list(), day, context).get('chiller-1')!;
    expect(tripped).toMatchObject({ alarm: 1, mode: 2, running: 0, kW: 0 });

    const night = at('2025-07-02T23:00:00+08:00');
    const nightFaults = new ActiveFaults([site]);
    nightFaults.add({ kind: 'after-hours-load', asset: 'submeter-chiller-plant', kW: 2400 });
    const nightModel = new BuildingModel(site, 104);
    const quiet = nightModel.sample(night).get('main-incomer')!.kW;
    const loaded = applyValueFaults(new BuildingModel(site, 104).sample(night), nightFaults.list(), night, {
      site,
      seed: 104,
      memory: createFaultMemory(),
    });
    expect(loaded.get('main-incomer')!.kW).toBeGreaterThan(0.4 * 6000);
    expect(loaded.get('main-incomer')!.kW - quiet).toBeCloseTo(2400 * 1.02, -1);
  });
});
