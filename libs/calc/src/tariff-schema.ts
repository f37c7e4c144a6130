import { z } from 'zod';
import type { TariffVersion } from './tariff';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time as 'HH:MM'");
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "a day as 'MM-DD'");
const period = z.enum(['peak', 'semi-peak', 'off-peak', 'saturday-semi-peak']);
const rate = z.object({ summer: z.number().nonnegative(), nonSummer: z.number().nonnegative() });
const windows = z.object({
  weekday: z.array(z.object({ from: hhmm, to: hhmm, period })),
  saturday: z.array(z.object({ from: hhmm, to: hhmm, period })),
});

/** A tariff version as an energy officer enters it (the shape of TAIPOWER_HV_THREE_STAGE's entries). */
export const tariffVersionSchema: z.ZodType<TariffVersion> = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'tariff ids are [a-z0-9-]+'),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  summer: z.object({ from: monthDay, to: monthDay }),
  basicFeePerKwMonth: rate,
  energyPerKwh: z.object({ peak: rate, 'semi-peak': rate, 'off-peak': rate, 'saturday-semi-peak': rate }),
  windows: z.object({ summer: windows, nonSummer: windows }),
  source: z.string().min(1),
});

/** The built-in versions with entered ones added, an entered version replacing a built-in one of the same id. */
export function mergeTariffVersions(builtIn: TariffVersion[], entered: TariffVersion[]): TariffVersion[] {
  const byId = new Map(builtIn.map((version) => [version.id, version]));
  for (const version of entered) byId.set(version.id, version);
  return [...byId.values()].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}
