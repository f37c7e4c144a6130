import { assetKey, pointKey, proposeMappings } from './opcua-browser';

describe('mapping proposals from an OPC UA address space', () => {
  it('turns browse names into registry keys', () => {
    expect(assetKey('Chiller1')).toBe('chiller-1');
    expect(assetKey('AHU 3F East')).toBe('ahu-3-f-east');
    expect(assetKey('冰水主機')).toBe('');
    expect(pointKey('kW')).toBe('kW');
    expect(pointKey('Supply Temp')).toBe('supplyTemp');
    expect(pointKey('2ndStage')).toBe('p2ndStage');
    expect(pointKey('CO2')).toBe('CO2');
  });

  it('maps numeric variables under an object, and leaves out text and loose variables', () => {
    expect(
      proposeMappings([
        { nodeId: 'ns=2;s=CH1.kW', path: ['Plant', 'Chiller1', 'kW'], displayName: 'kW', dataType: 'Double', value: 410 },
        { nodeId: 'ns=2;s=CH1.Run', path: ['Plant', 'Chiller1', 'Running'], displayName: 'Running', dataType: 'Boolean', value: true },
        { nodeId: 'ns=2;s=CH1.Model', path: ['Plant', 'Chiller1', 'Model'], displayName: 'Model', dataType: 'String', value: 'X' },
        { nodeId: 'ns=2;s=Uptime', path: ['Uptime'], displayName: 'Uptime', dataType: 'UInt32', value: 5 },
      ]),
    ).toEqual([
      { nodeId: 'ns=2;s=CH1.kW', asset: 'chiller-1', point: 'kW' },
      { nodeId: 'ns=2;s=CH1.Run', asset: 'chiller-1', point: 'running' },
    ]);
  });
});
