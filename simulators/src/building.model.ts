import { daysBetween } from '@hallwatch/domain';
import { AssetDefinition, SiteDefinition } from '@hallwatch/registry';
import { LocalTime, localTime, outdoorHumidity, outdoorTemperature, sunshine } from './climate.model';
import { gaussian, mulberry32, seedFor } from './prng';
import { isTaiwanWorkday } from './taiwan-holidays';

export type AssetValues = Record<string, number>;

/**
 * Occupancy of the offices, 0..1, on the site's clock (`zone`): working days (taiwan-holidays.ts:
 * national holidays, substitute and bridging days off, make-up Saturdays, the demo's calendar) with
 * ramps and the lunch-time lights-off policy; other days have a few staff in office hours, like a Sunday.
 */
export function occupancy(ts: number, zone: string, time: LocalTime = localTime(ts, zone)): number {
  if (!isTaiwanWorkday(time.date)) return time.hour >= 8 && time.hour < 17 ? 0.12 : 0.04;
  const h = time.hour;
  if (h < 7 || h >= 20) return 0.04;
  if (h < 9) return 0.04 + 0.96 * ((h - 7) / 2);
  if (h >= 12 && h < 13.5) return 0.65;
  if (h < 17.5) return 1;
  return 1 - 0.96 * ((h - 17.5) / 2.5);
}

interface Chiller {
  key: string;
  capacityRt: number;
}

/** A chiller's run state, as the demo registry's multistate `mode` points list them. */
export const CHILLER_RUN_STATE = { off: 0, on: 1, fault: 2 } as const;

/** Only the values the asset has points for: a registry's chiller need not have every point the model knows. */
const ofPoints = (asset: AssetDefinition, values: AssetValues): AssetValues =>
  Object.fromEntries(Object.entries(values).filter(([key]) => asset.points.some((point) => point.key === key)));

/**
 * The demo city hall as physics-lite: weather drives the cooling load, occupancy drives lights,
 * plugs, lifts and air handling; chillers stage on by load; sub-meters add up to the main incomer;
 * registers integrate power and flow. Deterministic for a seed and a start time.
 */
export class BuildingModel {
  private readonly registers = new Map<string, number>();
  private readonly noise = new Map<string, () => number>();
  private readonly chillers: Chiller[];
  private readonly assets: Map<string, AssetDefinition>;
  /** The building's size against the demo city hall: `simulation.scale` of the main incomer (1 by default). */
  private readonly scale: number;
  private lastTs?: number;

  /**
   * `options.registers`: where registers (`asset/point`) stand at the first sample, for a model that
   * continues a meter already counting (the demo's history, or the registers stored before a restart);
   * the others start at a seeded value.
   */
  constructor(
    private readonly site: SiteDefinition,
    private readonly seed: number,
    options: { registers?: Readonly<Record<string, number>> } = {},
  ) {
    this.chillers = site.assets
      .filter((asset) => asset.type === 'chiller')
      .map((asset) => ({ key: asset.key, capacityRt: Number(asset.attributes.capacityRt ?? 500) }));
    this.assets = new Map(site.assets.map((asset) => [asset.key, asset]));
    const incomer = site.assets.find((asset) => asset.type === 'electricity-meter' && asset.attributes.role === 'main');
    this.scale = Number(incomer?.simulation?.scale ?? 1);
    for (const asset of site.assets) {
      const random = mulberry32(seedFor(seed, asset.key));
      this.noise.set(asset.key, random);
      for (const point of asset.points.filter((candidate) => candidate.kind === 'cumulative')) {
        const rolloverAt = Number(point.attributes.rolloverAt ?? 0);
        const start = 1e5 + random() * 9e5;
        const key = `${asset.key}/${point.key}`;
        const given = options.registers?.[key];
        const value = given !== undefined && Number.isFinite(given) ? given : Math.round(start);
        this.registers.set(key, rolloverAt > 0 ? ((value % rolloverAt) + rolloverAt) % rolloverAt : value);
      }
    }
  }

  /** Where every register (`asset/point`) stands now: what a model continuing this meter starts from. */
  registerValues(): Record<string, number> {
    return Object.fromEntries(this.registers);
  }

  /** Every asset's values at `ts`; registers advance by the time since the previous call. */
  sample(ts: number): Map<string, AssetValues> {
    const hours = this.lastTs === undefined ? 0 : Math.max(0, ts - this.lastTs) / 3_600_000;
    this.lastTs = ts;
    const time = localTime(ts, this.site.timezone);
    const spell = this.spell(time.date);
    const outdoorT = outdoorTemperature(time, spell);
    const occ = occupancy(ts, this.site.timezone, time);
    const scale = this.scale;
    const coolingRt = (Math.max(0, outdoorT - 18) * 150 * (0.3 + 0.7 * occ) + 200 * occ) * scale;
    const chillers = this.stage(coolingRt, outdoorT);
    const plantKw = [...chillers.values()].reduce((sum, chiller) => sum + chiller.kW, 0) + 0.25 * coolingRt;
    const loads: Record<string, number> = {
      'chiller-plant': plantKw,
      lighting: (55 + 350 * occ) * scale,
      ahu: (80 + 330 * occ * Math.min(1, 0.4 + coolingRt / (2500 * scale))) * scale,
      elevators: (20 + 120 * occ) * scale,
      it: 180 * scale,
      plug: (100 + 450 * occ) * scale,
    };
    const out = new Map<string, AssetValues>();
    let submeterKw = 0;
    for (const asset of this.site.assets) {
      const n = () => gaussian(this.noise.get(asset.key)!);
      const values = this.assetValues(asset, { n, time, ts, outdoorT, spell, occ, loads, chillers, submeterKw });
      if (asset.type === 'electricity-meter' && asset.attributes.role === 'submeter') submeterKw += values.kW ?? 0;
      out.set(asset.key, values);
    }
    // The main incomer measures the sum of the sub-meters plus transformer and cable losses (2%).
    const incomer = this.site.assets.find((asset) => asset.type === 'electricity-meter' && asset.attributes.role === 'main');
    if (incomer)
      out.set(
        incomer.key,
        this.meter(incomer, submeterKw * 1.02, () => gaussian(this.noise.get(incomer.key)!)),
      );
    for (const [key, values] of out) this.integrate(key, values, hours);
    return out;
  }

  private assetValues(
    asset: AssetDefinition,
    env: {
      n: () => number;
      time: LocalTime;
      ts: number;
      outdoorT: number;
      spell: number;
      occ: number;
      loads: Record<string, number>;
      chillers: Map<string, AssetValues>;
      submeterKw: number;
    },
  ): AssetValues {
    const { n, time, outdoorT, occ } = env;
    switch (asset.type) {
      case 'electricity-meter': {
        if (asset.attributes.role === 'main') return {};
        // A sub-meter measures its `share` (1 by default) of a load: several may split one between them.
        const load = typeof asset.simulation?.load === 'string' ? asset.simulation.load : 'plug';
        const share = Number(asset.simulation?.share ?? 1);
        return this.meter(asset, Math.max(0, (env.loads[load] ?? 50) * share * (1 + 0.02 * n())), n);
      }
      case 'chiller':
        return ofPoints(asset, env.chillers.get(asset.key) ?? {});
      case 'ahu': {
        const running = occ > 0.2 ? 1 : 0;
        return {
          supplyAirT: round(running ? 14.5 + 0.3 * n() : outdoorT - 1, 2),
          fanHz: round(running ? 30 + 18 * occ + n() : 0, 1),
          running,
        };
      }
      case 'zone': {
        const occupied = occ > 0.3;
        const drift = outdoorT > 24 ? Math.min(30.5, 26 + (outdoorT - 24) * 0.35) : 24 + (outdoorT - 18) * 0.2;
        return {
          temp: round(occupied ? 26 + 0.25 + 0.25 * n() : drift + 0.2 * n(), 2),
          humidity: round(occupied ? 56 + 3 * n() : 62 + 4 * n(), 1),
          co2: Math.round(430 + 480 * occ * (0.9 + 0.1 * n()) + 10 * n()),
          setpoint: 26,
        };
      }
      case 'water-meter': {
        const flow = asset.attributes.role === 'rainwater' ? 0.05 + 0.25 * occ : 0.6 + 14 * occ * (1 + 0.05 * n());
        return { flow: round(Math.max(0, flow * this.scale), 3) };
      }
      case 'pv-inverter': {
        const clearness = Math.min(1, Math.max(0, 0.7 - 0.35 * env.spell + 0.1 * n()));
        return { kW: round(Number(asset.attributes.peakKw ?? 100) * sunshine(time) * (0.35 + 0.65 * clearness), 2) };
      }
      case 'weather-station':
        return { outdoorT: round(outdoorT + 0.1 * n(), 2), outdoorRh: round(outdoorHumidity(time, env.spell), 1) };
      case 'fuel-log':
        // A refuelling now and then in office hours: about four a working day.
        return occ > 0.5 && this.noise.get(asset.key)!() < 0.0035 ? { litres: round(20 + 40 * this.noise.get(asset.key)!(), 1) } : {};
      default:
        return {};
    }
  }

  /** Electricity meter readings consistent with `kW`: reactive power, power factor, phase voltages and currents. */
  private meter(asset: AssetDefinition, kW: number, n: () => number): AssetValues {
    const pf = Math.min(0.99, 0.95 + 0.01 * n());
    const values: AssetValues = { kW: round(kW, 2), kVAR: round(kW * Math.tan(Math.acos(pf)), 2), pf: round(pf, 3) };
    for (const phase of [1, 2, 3]) {
      const volts = 220 + 1.5 * n();
      values[`voltageL${phase}`] = round(volts, 1);
      values[`currentL${phase}`] = round((kW * 1000) / (3 * volts * pf), 1);
    }
    return ofPoints(asset, values);
  }

  /** Chillers staged on by load: the big ones first, the small one for the remainder. */
  private stage(loadRt: number, outdoorT: number): Map<string, AssetValues> {
    const out = new Map<string, AssetValues>();
    let remaining = loadRt;
    const running: Chiller[] = [];
    for (const chiller of [...this.chillers].sort((a, b) => b.capacityRt - a.capacityRt)) {
      if (remaining <= 0) break;
      running.push(chiller);
      remaining -= chiller.capacityRt * 0.9;
    }
    const capacity = running.reduce((sum, chiller) => sum + chiller.capacityRt, 0);
    for (const chiller of this.chillers) {
      const n = () => gaussian(this.noise.get(chiller.key)!);
      if (!running.includes(chiller)) {
        out.set(chiller.key, {
          kW: 0,
          chwsT: round(Math.min(outdoorT, 14) + 0.1 * n(), 2),
          chwrT: round(Math.min(outdoorT, 14) + 0.1 * n(), 2),
          cwsT: round(outdoorT - 2, 2),
          cwrT: round(outdoorT - 2, 2),
          flow: 0,
          tons: 0,
          running: 0,
          alarm: 0,
          mode: CHILLER_RUN_STATE.off,
        });
        continue;
      }
      const partLoad = Math.min(1, loadRt / capacity);
      const tons = chiller.capacityRt * partLoad * (1 + 0.01 * n());
      const deltaT = 1.5 + 4 * partLoad;
      const cwsT = 24 + 0.2 * outdoorT;
      const kwPerRt = 0.56 + 0.3 * (1 - partLoad) ** 2 + 0.015 * (cwsT - 29) + 0.005 * n();
      const chwsT = 7 + 0.1 * n();
      out.set(chiller.key, {
        kW: round(tons * kwPerRt, 1),
        chwsT: round(chwsT, 2),
        chwrT: round(chwsT + deltaT, 2),
        cwsT: round(cwsT, 2),
        cwrT: round(cwsT + 4.5 * partLoad, 2),
        flow: round((tons * 3.517) / (1.163 * deltaT), 1),
        tons: round(tons, 1),
        running: 1,
        alarm: 0,
        mode: CHILLER_RUN_STATE.on,
      });
    }
    return out;
  }

  /** Registers integrate their rate (kW -> kWh, m3/h -> m3) and wrap at their configured maximum. */
  private integrate(assetKey: string, values: AssetValues, hours: number): void {
    const asset = this.assets.get(assetKey)!;
    for (const point of asset.points.filter((candidate) => candidate.kind === 'cumulative')) {
      const key = `${assetKey}/${point.key}`;
      const rate = point.unit === 'kWh' ? values.kW : values.flow;
      let register = this.registers.get(key)! + (rate ?? 0) * hours;
      const rolloverAt = Number(point.attributes.rolloverAt ?? 0);
      if (rolloverAt > 0) register %= rolloverAt;
      this.registers.set(key, register);
      values[point.key] = round(register, 3);
    }
  }

  /** A warm or cool spell, -1..1, changing smoothly from day to day (deterministic per local day). */
  private spell(date: string): number {
    const day = daysBetween('1970-01-01', date);
    let sum = 0;
    for (let k = 0; k < 5; k++) sum += (mulberry32(seedFor(this.seed, `day-${day - k}`))() * 2 - 1) * (0.5 - k * 0.08);
    return Math.max(-1, Math.min(1, sum));
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
