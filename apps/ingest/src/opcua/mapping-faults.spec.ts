import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { MappingFaults, REFUSED } from './mapping-faults';

const endpoint = {
  key: 'plc',
  url: 'opc.tcp://plc:4840',
  mappings: [
    { nodeId: 'ns=1;s=Label', asset: 'plant', point: 'label' },
    { nodeId: 'ns=1;s=Ghost', asset: 'plant', point: 'ghost' },
  ],
} as OpcuaEndpointDefinition;

describe("an endpoint's failing mappings", () => {
  it('reports the first failure of a kind, counts its repeats, and forgets it once the mapping delivers', () => {
    const faults = new MappingFaults(endpoint);
    expect([1, 2, 3].map((at) => faults.fail(0, 'bad-value', `"batch ${at}" is not a number`, at))).toEqual([true, false, false]);
    expect(faults.list()).toEqual([
      { nodeId: 'ns=1;s=Label', point: 'plant/label', problem: '"batch 1" is not a number', since: 1, repeats: 2 },
    ]);
    expect(faults.fail(0, 'timestamp-out-of-range', 'ts in the future', 4)).toBe(true);
    faults.recovered(0);
    expect(faults.list()).toEqual([]);
    expect(faults.fail(0, 'bad-value', 'again', 5)).toBe(true);
  });

  it('keeps a refusal across re-subscriptions that refuse it again, and drops it when the server accepts the mapping', () => {
    const faults = new MappingFaults(endpoint);
    expect(faults.fail(1, REFUSED, 'BadNodeIdUnknown (0x80340000)', 1)).toBe(true);
    faults.monitored(new Set([1]));
    expect(faults.fail(1, REFUSED, 'BadNodeIdUnknown (0x80340000)', 2)).toBe(false);
    faults.fail(0, 'bad-value', 'text', 3);
    faults.monitored(new Set());
    expect(faults.list().map((fault) => fault.nodeId)).toEqual(['ns=1;s=Label']);
  });
});
