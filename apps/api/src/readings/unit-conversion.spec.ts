import { conversionTo, convertRaw, convertRollup } from './unit-conversion';

describe('unit conversion on read', () => {
  it('converts Wh to kWh and °C to °F, and nothing when the same unit or none is asked', () => {
    expect(convertRaw({ value: 1_250_000, flags: 0 }, conversionTo('Wh', 'kWh')!)).toEqual({ value: 1250, flags: 0 });
    const toF = conversionTo('°C', '°F')!;
    expect(convertRaw({ value: 30 }, toF).value).toBeCloseTo(86, 10);
    expect(conversionTo('kWh', undefined)).toBeNull();
    expect(conversionTo('kWh', 'kWh')).toBeNull();
  });

  it("converts a bucket's levels with the offset and its amounts by scale alone", () => {
    // two readings, 20 °C and 30 °C: sum 50 °C, i.e. 68 + 86 = 154 °F
    const bucket = { count: 2, sum: 50, consumption: null, estimated: null, mean: 25, twMean: 25, min: 20, max: 30, first: 20, last: 30 };
    const f = convertRollup(bucket, conversionTo('°C', '°F')!);
    expect([f.sum, f.mean, f.min, f.max, f.first, f.last].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([154, 77, 68, 86, 68, 86]);
    // a register that counted 2,500 Wh (500 estimated) in the bucket: 2.5 kWh (0.5)
    const register = { ...bucket, consumption: 2500, estimated: 500 };
    expect(convertRollup(register, conversionTo('Wh', 'kWh')!)).toMatchObject({ consumption: 2.5, estimated: 0.5 });
  });

  it('refuses a unit of another quantity, or one it does not know', () => {
    expect(() => conversionTo('kWh', 'm³')).toThrow('unit=m³: the point\'s values are in "kWh", which does not convert to it');
    expect(() => conversionTo('kWh', 'furlongs')).toThrow(/does not convert/);
  });
});
