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
import { chillerSnapshot, efficiencyLevel, LOW_DELTA_T, plantTotals, type ChillerSnapshot, type EfficiencyLevel } from '../domain/chiller';
import { hasPoint } from '../domain/site-model';
import type { TrendLineSpec } from '../domain/trend-model';

const TREND_SPAN_MS = 6 * 3_600_000;
const CHILLER_POINTS = ['kW', 'chwsT', 'chwrT', 'tons', 'running', 'alarm'] as const;
const EFFICIENCY_TONES: Record<EfficiencyLevel, Tone> = { good: 'ok', fair: 'warn', poor: 'bad' };

/** The chiller plant: each chiller's state and efficiency, the plant totals, and their trends. */
export function ChillersPage() {
  const { model, store } = useSession();
  const { t, f } = useI18n();
  useLiveTick(store);
  const chillers = model.chillers;

  const seeds = useMemo(
    () =>
      chillers.flatMap((chiller) =>
        CHILLER_POINTS.filter((point) => hasPoint(chiller, point)).map((point): PointAddress => ({ asset: chiller.key, point })),
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
        refs: chillers.filter((chiller) => hasPoint(chiller, 'kW')).map((chiller) => ({ asset: chiller.key, point: 'kW' })),
      },
    ],
    [chillers, t],
  );
  const supplyLines = useMemo(
    (): TrendLineSpec[] =>
      chillers
        .filter((chiller) => hasPoint(chiller, 'chwsT'))
        .map((chiller, i) => ({ label: chiller.name, color: lineColour(i), refs: [{ asset: chiller.key, point: 'chwsT' }] })),
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
    const value = (point: string) => store.value(chiller.key, point);
    const snapshot = chillerSnapshot({
      running: value('running'),
      kW: value('kW'),
      chwsT: value('chwsT'),
      chwrT: value('chwrT'),
      tons: value('tons'),
    });
    return { chiller, snapshot, alarm: value('alarm') };
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
              {rows.map(({ chiller, snapshot, alarm }) => (
                <tr key={chiller.key} data-testid={`chiller-${chiller.key}`}>
                  <th scope="row">{chiller.name}</th>
                  <td>
                    <RunState snapshot={snapshot} alarm={alarm} />
                  </td>
                  <td class="num">{f.number(snapshot.kW, 1)}</td>
                  <td class="num">{f.number(snapshot.chwsT, 1)}</td>
                  <td class="num">{f.number(snapshot.chwrT, 1)}</td>
                  <td class="num">
                    {f.number(snapshot.deltaT, 1)}
                    {snapshot.isRunning && snapshot.deltaT !== null && snapshot.deltaT < LOW_DELTA_T && (
                      <>
                        {' '}
                        <LevelBadge tone="warn" text={t('chillers.lowDeltaT')} />
                      </>
                    )}
                  </td>
                  <td class="num">{f.number(snapshot.tons, 0)}</td>
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

function RunState({ snapshot, alarm }: { snapshot: ChillerSnapshot; alarm: number | null }) {
  const { t } = useI18n();
  return (
    <span class="run-state">
      {snapshot.isRunning === null ? (
        <LevelBadge tone="neutral" text={t('status.unknown')} />
      ) : snapshot.isRunning ? (
        <LevelBadge tone="ok" text={t('status.running')} />
      ) : (
        <LevelBadge tone="neutral" text={t('status.stopped')} />
      )}
      {alarm !== null && alarm !== 0 && (
        <>
          {' '}
          <LevelBadge tone="bad" text={t('status.alarm')} />
        </>
      )}
    </span>
  );
}

function Efficiency({ value }: { value: number }) {
  const { t } = useI18n();
  const level = efficiencyLevel(value);
  return <LevelBadge tone={EFFICIENCY_TONES[level]} text={t(`efficiency.${level}`)} />;
}
