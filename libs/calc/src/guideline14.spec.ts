import { fitStatistics, fractionalSavingsUncertainty, lag1Autocorrelation, meetsGuideline14 } from './guideline14';

describe('Guideline 14 statistics', () => {
  // Six points, a two-parameter model. Residuals e = y − ŷ: 1, −1, 2, −2, 1, −1 (Σe = 0, Σe² = 12).
  // ȳ = (10+12+14+16+18+20)/6 = 15; SST = 25+9+1+1+9+25 = 70.
  // R² = 1 − 12/70 = 0.828571; adjusted R² = 1 − (1 − R²)·5/4 = 0.785714
  // RMSE = sqrt(12/4) = 1.732051; CV(RMSE) = 100·1.732051/15 = 11.54701%; NMBE = 0.
  const actual = [10, 12, 14, 16, 18, 20];
  const predicted = [9, 13, 12, 18, 17, 21];

  it('matches the hand calculation', () => {
    const stats = fitStatistics(actual, predicted, 2);
    expect(stats.rSquared).toBeCloseTo(0.828571, 5);
    expect(stats.adjustedRSquared).toBeCloseTo(0.785714, 5);
    expect(stats.rmse).toBeCloseTo(1.732051, 5);
    expect(stats.cvRmse).toBeCloseTo(11.54701, 4);
    expect(stats.nmbe).toBeCloseTo(0, 10);
  });

  it('computes NMBE with n − p in the denominator', () => {
    // residuals 1,1,1,1,1,1: NMBE = 100·6/(4·15) = 10%
    const stats = fitStatistics(
      actual,
      actual.map((y) => y - 1),
      2,
    );
    expect(stats.nmbe).toBeCloseTo(10, 10);
  });

  it('computes lag-1 autocorrelation', () => {
    // centred: −1.5, −0.5, 0.5, 1.5 → Σ xₜxₜ₋₁ = 0.75 − 0.25 + 0.75 = 1.25; Σx² = 5 → 0.25
    expect(lag1Autocorrelation([1, 2, 3, 4])).toBeCloseTo(0.25, 10);
  });

  it('checks the limits', () => {
    const good = fitStatistics(actual, predicted, 2);
    expect(meetsGuideline14(good, 'hourly')).toEqual({ pass: true, reasons: [] });
    const monthly = meetsGuideline14(good, 'monthly');
    expect(monthly.pass).toBe(true);
    const biased = fitStatistics(
      actual,
      actual.map((y) => y - 1),
      2,
    );
    expect(meetsGuideline14(biased, 'monthly')).toEqual({ pass: false, reasons: ['NMBE 10.00% is outside ±5% for monthly models'] });
  });

  it('computes the fractional savings uncertainty', () => {
    // n = 365, ρ = 0 → n′ = 365; p = 2; t(0.84, 363) = 0.99582; CV = 10%; m = 365; F = 0.1
    // ΔE/E = 1.26·0.99582·0.10·sqrt(1·(1 + 2/365)/365)/0.1 = 1.26·0.99582·0.052489… = 0.065856
    const fsu = fractionalSavingsUncertainty({
      cvRmse: 10,
      n: 365,
      p: 2,
      autocorrelation: 0,
      reportingPoints: 365,
      savingsFraction: 0.1,
      confidence: 0.68,
    });
    expect(fsu).toBeCloseTo((1.26 * 0.99582 * 0.1 * Math.sqrt((1 + 2 / 365) / 365)) / 0.1, 4);
    expect(
      fractionalSavingsUncertainty({
        cvRmse: 10,
        n: 365,
        p: 2,
        autocorrelation: 0,
        reportingPoints: 365,
        savingsFraction: 0,
        confidence: 0.68,
      }),
    ).toBe(Infinity);
  });
});
