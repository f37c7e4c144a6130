import { useMemo } from 'preact/hooks';
import type { PointAddress } from '../api/api-client';
import { useI18n, useSession } from '../app/contexts';
import { useLiveTick, useSeedLatest } from '../app/hooks';
import { LevelBadge, type Tone } from '../components/level-badge';
import { UncertainMark } from '../components/uncertain-mark';
import { addressesOf } from '../domain/site-model';
import { co2Level, temperatureLevel, type Co2Level, type TemperatureLevel } from '../domain/zone-policy';

const TEMPERATURE_TONES: Record<TemperatureLevel, Tone> = { cold: 'cold', ok: 'ok', warm: 'warn' };
const CO2_TONES: Record<Co2Level, Tone> = { ok: 'ok', high: 'bad' };

/** Every zone per floor: temperature against the 26-28 °C policy, humidity, CO2 against 1,000 ppm; each point found by its tags (`zone.roles`). */
export function ZonesPage() {
  const { model, store } = useSession();
  const { t, f } = useI18n();
  useLiveTick(store);
  const seeds = useMemo(
    () =>
      model.floors.flatMap((floor) =>
        floor.zones.flatMap(({ key, roles }): PointAddress[] =>
          addressesOf({ key }, [roles.temperature, roles.humidity, roles.co2, roles.setpoint]),
        ),
      ),
    [model],
  );
  useSeedLatest(seeds);

  return (
    <>
      <h1 class="page-title">{t('zones.title')}</h1>
      <p class="lede">{t('zones.policy')}</p>
      {model.floors.length === 0 && <p class="notice">{t('zones.none')}</p>}
      <div class="floors">
        {model.floors.map((floor) => (
          <section key={floor.floor} class="panel" aria-labelledby={`floor-${floor.floor}`}>
            <h2 id={`floor-${floor.floor}`} class="panel-title">
              {t('zones.floor', { floor: floor.floor })}
            </h2>
            <div class="table-scroll">
              <table class="data-table zones-table">
                <thead>
                  <tr>
                    <th scope="col">{t('zones.col.zone')}</th>
                    <th scope="col" class="num">
                      {t('zones.col.temp')} <span class="unit">°C</span>
                    </th>
                    <th scope="col" class="num">
                      {t('zones.col.humidity')} <span class="unit">%RH</span>
                    </th>
                    <th scope="col" class="num">
                      {t('zones.col.co2')} <span class="unit">ppm</span>
                    </th>
                    <th scope="col" class="num">
                      {t('zones.col.setpoint')} <span class="unit">°C</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {floor.zones.map((zone) => {
                    const value = (point: string | null) => (point === null ? null : store.value(zone.key, point));
                    const uncertain = (point: string | null) => (
                      <UncertainMark shown={store.uncertain(zone.key, point)} testId={`uncertain-${zone.key}-${point}`} />
                    );
                    const temp = value(zone.roles.temperature);
                    const co2 = value(zone.roles.co2);
                    return (
                      <tr key={zone.key} data-testid={`zone-${zone.key}`}>
                        <th scope="row">{zone.name}</th>
                        <td class="num">
                          <span class="reading">{f.number(temp, 1)}</span>
                          {uncertain(zone.roles.temperature)}
                          {temp !== null && (
                            <span class="cell-note">
                              <LevelBadge tone={TEMPERATURE_TONES[temperatureLevel(temp)]} text={t(`temp.${temperatureLevel(temp)}`)} />
                            </span>
                          )}
                        </td>
                        <td class="num">
                          <span class="reading">{f.number(value(zone.roles.humidity), 0)}</span>
                          {uncertain(zone.roles.humidity)}
                        </td>
                        <td class="num">
                          <span class="reading">{f.number(co2, 0)}</span>
                          {uncertain(zone.roles.co2)}
                          {co2 !== null && (
                            <span class="cell-note">
                              <LevelBadge tone={CO2_TONES[co2Level(co2)]} text={t(`co2.${co2Level(co2)}`)} />
                            </span>
                          )}
                        </td>
                        <td class="num">
                          <span class="reading">{f.number(value(zone.roles.setpoint), 1)}</span>
                          {uncertain(zone.roles.setpoint)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        ))}
      </div>
    </>
  );
}
