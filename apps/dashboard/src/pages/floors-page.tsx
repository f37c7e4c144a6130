import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Role } from '../api/api-types';
import type { PointAddress } from '../api/api-client';
import { useI18n, useSession } from '../app/contexts';
import { useLiveTick, useLoad, useSeedLatest } from '../app/hooks';
import { routeHref } from '../app/route';
import { useAction } from '../app/use-action';
import { LevelBadge, type Tone } from '../components/level-badge';
import { LoadState } from '../components/load-state';
import { UncertainMark } from '../components/uncertain-mark';
import { addressesOf, type Zone } from '../domain/site-model';
import { zoneState, type ZoneState } from '../domain/zone-state';

const EDITORS: readonly Role[] = ['engineer', 'admin'];
const TEMPERATURE_TONES: Record<ZoneState['temperature'], Tone> = { cold: 'cold', ok: 'ok', warm: 'warn', none: 'neutral' };
/** The zone's fill on the plan: the same colours as the badges. */
const FILLS: Record<ZoneState['temperature'], string> = { cold: '#1f4d7a', ok: '#1e5a3a', warm: '#7a5a12', none: '#2b3646' };

/**
 * A floor's zones on its plan, coloured live by temperature against the 26-28 °C policy, CO2 and
 * occupancy. The plan is an uploaded drawing (zones are its elements with data-zone) or a grid
 * generated from the registry; a zone opens its trends.
 */
export function FloorsPage({ params, role }: { params: Record<string, string>; role: Role | undefined }) {
  const { api, site, model, store, unauthorised } = useSession();
  const { t } = useI18n();
  useLiveTick(store);
  const floors = model.floors.filter((floor) => floor.floor !== '');
  const floor = floors.find((candidate) => candidate.floor === params.floor) ?? floors[0];
  const seeds = useMemo(
    () =>
      (floor?.zones ?? []).flatMap(({ key, roles }): PointAddress[] =>
        addressesOf({ key }, [roles.temperature, roles.co2, roles.occupied]),
      ),
    [floor],
  );
  useSeedLatest(seeds);
  const plan = useLoad(
    (signal) => (floor ? api.floorPlan(site.key, floor.floor, signal) : Promise.resolve(null)),
    [api, site.key, floor?.floor],
    unauthorised,
  );

  if (!floor)
    return (
      <>
        <h1 class="page-title">{t('floors.title')}</h1>
        <p class="notice">{t('floors.none')}</p>
      </>
    );

  const states = new Map(floor.zones.map((zone) => [zone.key, zoneState(store, zone)]));
  const uploaded = plan.data?.kind === 'svg' && plan.data.svg ? plan.data.svg : null;
  return (
    <>
      <h1 class="page-title">{t('floors.title')}</h1>
      <p class="lede">{t('floors.lede')}</p>
      <nav class="segmented floor-picker" aria-label={t('floors.pick')}>
        {floors.map((candidate) => (
          <a
            key={candidate.floor}
            class="segment"
            href={routeHref('floors', { floor: candidate.floor })}
            aria-current={candidate.floor === floor.floor ? 'true' : undefined}
            data-testid={`floor-${candidate.floor}`}
          >
            {candidate.floor}
          </a>
        ))}
      </nav>
      <section class="panel" aria-labelledby="plan-title">
        <h2 id="plan-title" class="panel-title">
          {t('floors.floor', { floor: floor.floor })}
          <span class="panel-meta" data-testid="plan-kind">
            {uploaded ? t('floors.uploaded') : t('floors.grid')}
          </span>
        </h2>
        <LoadState loading={plan.loading && plan.data === undefined} error={plan.error} onRetry={plan.reload} />
        {!plan.loading || plan.data !== undefined ? (
          uploaded ? (
            <UploadedPlan svg={uploaded} zones={floor.zones} states={states} />
          ) : (
            <ZoneGrid zones={floor.zones} states={states} />
          )
        ) : null}
        <Legend />
        <ZoneList zones={floor.zones} states={states} />
      </section>
      {role !== undefined && EDITORS.includes(role) && <PlanEditor floor={floor.floor} onSaved={plan.reload} />}
    </>
  );
}

type States = Map<string, ZoneState>;

function zoneLabel(t: ReturnType<typeof useI18n>['t'], f: ReturnType<typeof useI18n>['f'], zone: Zone, state: ZoneState): string {
  return t('floors.zoneTitle', { zone: zone.name, temp: f.number(state.temp, 1), co2: f.number(state.co2, 0) });
}

function trendsOf(zone: Zone): string {
  return routeHref('trends', {
    asset: zone.key,
    point: zone.roles.temperature ?? zone.points[0]?.key,
    range: '24h',
  });
}

/** The generated plan: the floor's zones side by side, two to a row. */
function ZoneGrid({ zones, states }: { zones: Zone[]; states: States }) {
  const { t, f } = useI18n();
  const columns = Math.min(2, zones.length);
  const rows = Math.ceil(zones.length / columns);
  const width = 200;
  const height = 120;
  return (
    <svg
      class="floor-plan"
      viewBox={`0 0 ${columns * width} ${rows * height}`}
      role="group"
      aria-label={t('floors.grid')}
      data-testid="floor-plan"
    >
      {zones.map((zone, index) => {
        const state = states.get(zone.key)!;
        const x = (index % columns) * width;
        const y = Math.floor(index / columns) * height;
        return (
          <a key={zone.key} href={trendsOf(zone)} aria-label={zoneLabel(t, f, zone, state)} data-testid={`plan-zone-${zone.key}`}>
            <rect
              x={x + 4}
              y={y + 4}
              width={width - 8}
              height={height - 8}
              rx={8}
              fill={FILLS[state.temperature]}
              stroke={state.co2High ? 'var(--bad)' : 'var(--line)'}
              stroke-width={state.co2High ? 6 : 2}
              stroke-dasharray={state.co2High ? '10 6' : undefined}
              data-state={state.temperature}
              data-co2={state.co2High ? 'high' : 'ok'}
            />
            <text x={x + 16} y={y + 34} class="plan-zone-name">
              {zone.name}
            </text>
            <text x={x + 16} y={y + 68} class="plan-zone-value">
              {f.number(state.temp, 1)} °C
            </text>
            <text x={x + 16} y={y + 96} class="plan-zone-value">
              CO2 {f.number(state.co2, 0)}
              {state.occupied === true ? ` · ${t('floors.occupied')}` : state.occupied === false ? ` · ${t('floors.vacant')}` : ''}
            </text>
          </a>
        );
      })}
    </svg>
  );
}

/**
 * An uploaded drawing, checked by the API before it was stored: put in the page as it is, then its
 * zone elements are coloured and made into links to their trends.
 */
function UploadedPlan({ svg, zones, states }: { svg: string; zones: Zone[]; states: States }) {
  const { t, f } = useI18n();
  const holder = useRef<HTMLDivElement>(null);
  const byKey = new Map(zones.map((zone) => [zone.key, zone]));

  useEffect(() => {
    for (const element of holder.current?.querySelectorAll<SVGElement>('[data-zone]') ?? []) {
      const zone = byKey.get(element.getAttribute('data-zone') ?? '');
      if (!zone) continue;
      const state = states.get(zone.key)!;
      element.setAttribute('fill', FILLS[state.temperature]);
      element.setAttribute('stroke', state.co2High ? '#ff7b72' : '#2b3646');
      element.setAttribute('stroke-width', state.co2High ? '6' : '2');
      element.setAttribute('data-state', state.temperature);
      element.setAttribute('role', 'link');
      element.setAttribute('tabindex', '0');
      element.setAttribute('aria-label', zoneLabel(t, f, zone, state));
      element.setAttribute('data-testid', `plan-zone-${zone.key}`);
      element.style.cursor = 'pointer';
    }
  });

  const open = (target: EventTarget | null) => {
    const zone = byKey.get((target as Element | null)?.closest?.('[data-zone]')?.getAttribute('data-zone') ?? '');
    if (zone) location.hash = trendsOf(zone);
  };
  return (
    <div
      ref={holder}
      class="floor-plan floor-plan-uploaded"
      data-testid="floor-plan"
      onClick={(event) => open(event.target)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') open(event.target);
      }}
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <p class="plan-legend" aria-label={t('floors.legend')}>
      <LevelBadge tone="cold" text={t('temp.cold')} /> <LevelBadge tone="ok" text={t('temp.ok')} />{' '}
      <LevelBadge tone="warn" text={t('temp.warm')} /> <LevelBadge tone="bad" text={t('co2.high')} />{' '}
      <LevelBadge tone="neutral" text={t('floors.noData')} />
    </p>
  );
}

/** The same in words, so colour is never the only cue. */
function ZoneList({ zones, states }: { zones: Zone[]; states: States }) {
  const { t, f } = useI18n();
  const { store } = useSession();
  return (
    <ul class="plain-list zone-list">
      {zones.map((zone) => {
        const state = states.get(zone.key)!;
        return (
          <li key={zone.key} data-testid={`plan-row-${zone.key}`}>
            <a href={trendsOf(zone)}>{zone.name}</a> · {f.number(state.temp, 1)} °C{' '}
            {store.uncertain(zone.key, zone.roles.temperature) && (
              <>
                <UncertainMark shown testId={`uncertain-${zone.key}-${zone.roles.temperature}`} />{' '}
              </>
            )}
            {state.temperature === 'none' ? (
              <LevelBadge tone="neutral" text={t('floors.noData')} />
            ) : (
              <LevelBadge tone={TEMPERATURE_TONES[state.temperature]} text={t(`temp.${state.temperature}`)} />
            )}{' '}
            {state.co2 !== null && <LevelBadge tone={state.co2High ? 'bad' : 'ok'} text={t(state.co2High ? 'co2.high' : 'co2.ok')} />}
            {state.occupied !== null && <> · {t(state.occupied ? 'floors.occupied' : 'floors.vacant')}</>}
          </li>
        );
      })}
    </ul>
  );
}

function PlanEditor({ floor, onSaved }: { floor: string; onSaved: () => void }) {
  const { api, site } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const save = (plan: { kind: 'svg'; svg: string } | { kind: 'grid' }) =>
    void action
      .run(() => api.putFloorPlan(site.key, floor, plan))
      .then((ok) => {
        setSaved(ok);
        if (ok) onSaved();
      });
  return (
    <section class="panel" aria-labelledby="plan-edit-title">
      <h2 id="plan-edit-title" class="panel-title">
        {t('floors.upload')}
      </h2>
      <div class="inline-form">
        <input
          type="file"
          accept=".svg,image/svg+xml"
          aria-label={t('floors.upload')}
          data-testid="plan-file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void file.text().then((svg) => save({ kind: 'svg', svg }));
          }}
        />
        <button type="button" class="button" onClick={() => save({ kind: 'grid' })} data-testid="plan-use-grid">
          {t('floors.useGrid')}
        </button>
      </div>
      {saved && !action.problem && (
        <p class="notice" aria-live="polite" data-testid="plan-saved">
          {t('floors.uploadDone')}
        </p>
      )}
      {action.problem && (
        <p class="notice notice-error" role="alert" data-testid="plan-problem">
          {action.problem}
        </p>
      )}
    </section>
  );
}
