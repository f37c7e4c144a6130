import { Fragment } from 'preact';
import { useMemo } from 'preact/hooks';
import type { PointAddress } from '../api/api-client';
import { useI18n, useSession } from '../app/contexts';
import { useLiveTick, useSeedLatest } from '../app/hooks';
import { useTrend } from '../app/use-trend';
import { LevelBadge, type Tone } from '../components/level-badge';
import { LoadState } from '../components/load-state';
import { lineColour } from '../components/palette';
import { Tile } from '../components/tile';
import { TimeChart } from '../components/time-chart';
import { UncertainMark } from '../components/uncertain-mark';
import {
  chillerSnapshot,
  chillerValues,
  efficiencyLevel,
  LOW_DELTA_T,
  plantTotals,
  runBadges,
  type ChillerSnapshot,
  type EfficiencyLevel,
} from '../domain/chiller';
import { stateLabel } from '../domain/reading-quality';
import { addressesOf, pointInfo, type Chiller } from '../domain/site-model';
import type { TrendLineSpec } from '../domain/trend-model';

const TREND_SPAN_MS = 6 * 3_600_000;
const EFFICIENCY_TONES: Record<EfficiencyLevel, Tone> = { good: 'ok', fair: 'warn', poor: 'bad' };

/**
 * The chiller plant: each chiller's state and efficiency, the plant totals, and their trends. A
 * chiller's points are the ones its tags say measure each thing (`chiller.roles`), whatever their keys.
 */
export function ChillersPage() {
  const { model, store } = useSession();
  const { t, f, locale } = useI18n();
  useLiveTick(store);
  const chillers = model.chillers;

  const seeds = useMemo(
    () =>
      chillers.flatMap(({ key, roles }): PointAddress[] =>
        addressesOf({ key }, [
          roles.running,
          roles.runState,
          roles.alarm,
          roles.power,
          roles.leavingTemp,
          roles.enteringTemp,
          roles.capacity,
        ]),
      ),
    [chillers],
  );
  useSeedLatest(seeds);

  const powerLines = useMemo(
    (): TrendLineSpec[] => [
      {
        label: t('chart.mean', { label: t('chillers.totalKw') }),
        tailLabel: t('chart.live', { label: t('chillers.totalKw') }),
        color: lineColour(0),
        refs: chillers.flatMap((chiller) => addressesOf(chiller, [chiller.roles.power])),
      },
    ],
    [chillers, t],
  );
  const supplyLines = useMemo(
    (): TrendLineSpec[] =>
      chillers
        .filter((chiller) => chiller.roles.leavingTemp !== null)
        .map((chiller, i) => ({ label: chiller.name, color: lineColour(i), refs: addressesOf(chiller, [chiller.roles.leavingTemp]) })),
    [chillers],
  );
  const powerTrend = useTrend({ bucket: '15m', spanMs: TREND_SPAN_MS, lines: powerLines[0].refs.length > 0 ? powerLines : [] });
  const supplyTrend = useTrend({ bucket: '15m', spanMs: TREND_SPAN_MS, lines: supplyLines });

  if (chillers.length === 0) {
    return (
      <>
        <h1 class="page-title">{t('chillers.title')}</h1>
        <p class="notice">{t('chillers.none')}</p>
      </>
    );
  }

  const rows = chillers.map((chiller) => {
    const value = (point: string | null) => (point === null ? null : store.value(chiller.key, point));
    const snapshot = chillerSnapshot(chillerValues(chiller.roles, value));
    const { runState, alarm } = chiller.roles;
    const stateText = stateLabel(pointInfo(chiller, runState), value(runState), locale);
    return { chiller, snapshot, alarm: value(alarm), stateText };
  });
  const totals = plantTotals(rows.map((row) => row.snapshot));

  return (
    <>
      <h1 class="page-title">{t('chillers.title')}</h1>
      <div class="tiles">
        <Tile
          id="plant-running"
          label={t('chillers.totals')}
          value={t('chillers.runningCount', { running: totals.running, total: totals.total })}
        />
        <Tile id="plant-kw" label={t('chillers.totalKw')} value={f.number(totals.kW, 0)} unit="kW" />
        <Tile id="plant-tons" label={t('chillers.totalTons')} value={f.number(totals.tons, 0)} unit="RT" />
        <Tile
          id="plant-kw-per-rt"
          label={t('chillers.plantEfficiency')}
          value={f.number(totals.kwPerRt, 2)}
          unit="kW/RT"
          note={totals.kwPerRt !== null && <Efficiency value={totals.kwPerRt} />}
        />
      </div>

      <section class="panel" aria-labelledby="chillers-table-label">
        <h2 id="chillers-table-label" class="panel-title">
          {t('chillers.table')}
        </h2>
        <div class="table-scroll">
          <table class="data-table" data-testid="chillers-table">
            <thead>
              <tr>
                <th scope="col">{t('chillers.col.chiller')}</th>
                <th scope="col">{t('chillers.col.status')}</th>
                <th scope="col" class="num">
                  {t('chillers.col.kw')} <span class="unit">kW</span>
                </th>
                <th scope="col" class="num">
                  {t('chillers.col.chwsT')} <span class="unit">°C</span>
                </th>
                <th scope="col" class="num">
                  {t('chillers.col.chwrT')} <span class="unit">°C</span>
                </th>
                <th scope="col" class="num">
                  {t('chillers.col.deltaT')} <span class="unit">°C</span>
                </th>
                <th scope="col" class="num">
                  {t('chillers.col.tons')} <span class="unit">RT</span>
                </th>
                <th scope="col" class="num">
                  {t('chillers.col.kwPerRt')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ chiller, snapshot, alarm, stateText }) => (
                <tr key={chiller.key} data-testid={`chiller-${chiller.key}`}>
                  <th scope="row">{chiller.name}</th>
                  <td>
                    <RunState snapshot={snapshot} alarm={alarm} stateText={stateText} testId={`run-state-${chiller.key}`} />
                    <Uncertain chiller={chiller} point={chiller.roles.runState} />
                  </td>
                  <td class="num">
                    {f.number(snapshot.kW, 1)}
                    <Uncertain chiller={chiller} point={chiller.roles.power} />
                  </td>
                  <td class="num">
                    {f.number(snapshot.chwsT, 1)}
                    <Uncertain chiller={chiller} point={chiller.roles.leavingTemp} />
                  </td>
                  <td class="num">
                    {f.number(snapshot.chwrT, 1)}
                    <Uncertain chiller={chiller} point={chiller.roles.enteringTemp} />
                  </td>
                  <td class="num">
                    {f.number(snapshot.deltaT, 1)}
                    {snapshot.isRunning && snapshot.deltaT !== null && snapshot.deltaT < LOW_DELTA_T && (
                      <>
                        {' '}
                        <LevelBadge tone="warn" text={t('chillers.lowDeltaT')} />
                      </>
                    )}
                  </td>
                  <td class="num">
                    {f.number(snapshot.tons, 0)}
                    <Uncertain chiller={chiller} point={chiller.roles.capacity} />
                  </td>
                  <td class="num" data-testid={`kw-per-rt-${chiller.key}`}>
                    {f.number(snapshot.kwPerRt, 2)}
                    {snapshot.kwPerRt !== null && (
                      <>
                        {' '}
                        <Efficiency value={snapshot.kwPerRt} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="tile-note">{t('chillers.note')}</p>
      </section>

      <div class="charts-2">
        <section class="panel chart-panel" aria-labelledby="chillers-kw-label">
          <h2 id="chillers-kw-label" class="panel-title">
            {t('chillers.trendKw')}
          </h2>
          <LoadState loading={powerTrend.loading} error={powerTrend.error} />
          <TimeChart model={powerTrend.model} title={t('chillers.trendKw')} unit="kW" digits={0} heightShare={0.22} />
        </section>
        <section class="panel chart-panel" aria-labelledby="chillers-supply-label">
          <h2 id="chillers-supply-label" class="panel-title">
            {t('chillers.trendSupply')}
          </h2>
          <LoadState loading={supplyTrend.loading} error={supplyTrend.error} />
          <TimeChart model={supplyTrend.model} title={t('chillers.trendSupply')} unit="°C" digits={1} heightShare={0.22} />
        </section>
      </div>
    </>
  );
}

function RunState({
  snapshot,
  alarm,
  stateText,
  testId,
}: {
  snapshot: ChillerSnapshot;
  alarm: number | null;
  stateText: string | null;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <span class="run-state" data-testid={testId}>
      {runBadges(snapshot.isRunning, alarm !== null && alarm !== 0, stateText).map((badge, i) => (
        <Fragment key={i}>
          {i > 0 && ' '}
          <LevelBadge tone={badge.tone} text={'text' in badge ? badge.text : t(badge.message)} />
        </Fragment>
      ))}
    </span>
  );
}

/** A mark beside a chiller's value whose source marked it uncertain. */
function Uncertain({ chiller, point }: { chiller: Chiller; point: string | null }) {
  const { store } = useSession();
  const shown = store.uncertain(chiller.key, point);
  return shown ? (
    <>
      {' '}
      <UncertainMark shown testId={`uncertain-${chiller.key}-${point}`} />
    </>
  ) : null;
}

function Efficiency({ value }: { value: number }) {
  const { t } = useI18n();
  const level = efficiencyLevel(value);
  return <LevelBadge tone={EFFICIENCY_TONES[level]} text={t(`efficiency.${level}`)} />;
}
