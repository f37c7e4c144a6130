import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { BuildingModel } from './building.model';
import { countReadings, readingsPerTick, tickMessages, tickMsForRate } from './messages';

const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;

describe('readings and the rate knob', () => {
  it('counts the readings of a payload, and none in a malformed one', () => {
    expect(countReadings(JSON.stringify({ ts: 1, values: { kW: 1, kWh: 2 } }))).toBe(2);
    expect(countReadings('{"ts":1,"values":{"kW"')).toBe(0);
    expect(countReadings(JSON.stringify({ ts: 1 }))).toBe(0);
    expect(countReadings('not json')).toBe(0);
  });

  it('counts the readings of a tick as the messages carry them, without touching the models in use', () => {
    const ts = Date.parse('2025-07-02T10:00:00+08:00');
    const messages = tickMessages(new BuildingModel(site, 104), site, ts, 'hallwatch/v1');
    const inMessages = messages.reduce((sum, message) => sum + countReadings(message.payload), 0);
    expect(readingsPerTick([site], 104, ts)).toBe(inMessages);
    expect(readingsPerTick([site, site], 104, ts)).toBe(2 * inMessages);
  });

  it('sets the tick from the readings per tick, the target rate and the speed', () => {
    expect(tickMsForRate(2000, 1000)).toBe(2000);
    expect(tickMsForRate(1_000_000, 100_000)).toBe(10_000);
    expect(tickMsForRate(2000, 1000, 60)).toBe(120_000);
    expect(tickMsForRate(10, 1_000_000)).toBe(1);
    expect(() => tickMsForRate(100, 0)).toThrow(RangeError);
  });
});
