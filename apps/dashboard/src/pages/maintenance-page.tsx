import { useState } from 'preact/hooks';
import { addDays, localDate } from '@hallwatch/domain';
import type { MaintenanceTaskView, Role, WorkItemView } from '../api/api-types';
import { useI18n, useSession } from '../app/contexts';
import { useLoad } from '../app/hooks';
import { useAction } from '../app/use-action';
import { LevelBadge } from '../components/level-badge';
import { LoadState } from '../components/load-state';

const CREWS: readonly Role[] = ['maintenance', 'engineer', 'admin'];

/**
 * The crews' work: what is overdue and due by asset, each completed with a note, and the
 * schedules that make them. Laid out for a phone in one column.
 */
export function MaintenancePage({ role }: { role: Role | undefined }) {
  const { api, site, unauthorised } = useSession();
  const { t } = useI18n();
  const open = useLoad((signal) => api.workItems(site.key, 'open', signal), [api, site.key], unauthorised);
  const done = useLoad((signal) => api.workItems(site.key, 'done', signal), [api, site.key], unauthorised);
  const tasks = useLoad((signal) => api.maintenanceTasks(site.key, signal), [api, site.key], unauthorised);
  const canAct = role !== undefined && CREWS.includes(role);
  const today = localDate(Date.now(), site.timezone);
  const assetName = (key: string) => site.assets.find((asset) => asset.key === key)?.name ?? key;
  const overdue = (open.data ?? []).filter((item) => item.dueOn < today);
  const due = (open.data ?? []).filter((item) => item.dueOn >= today);
  const reload = () => {
    open.reload();
    done.reload();
  };

  return (
    <div class="maintenance">
      <h1 class="page-title">{t('maint.title')}</h1>
      <p class="lede">{t('maint.lede')}</p>
      {!canAct && role !== undefined && <p class="notice">{t('maint.readOnly')}</p>}
      <LoadState loading={open.loading && !open.data} error={open.error} onRetry={open.reload} />
      {open.data && (
        <>
          <WorkList
            id="overdue"
            title={t('maint.overdue', { count: overdue.length })}
            items={overdue}
            today={today}
            canAct={canAct}
            assetName={assetName}
            onDone={reload}
          />
          <WorkList
            id="due"
            title={t('maint.due', { count: due.length })}
            items={due}
            today={today}
            canAct={canAct}
            assetName={assetName}
            onDone={reload}
          />
        </>
      )}
      <Schedules tasks={tasks.data} assetName={assetName} />
      <section class="panel" aria-labelledby="done-title">
        <h2 id="done-title" class="panel-title">
          {t('maint.done')}
        </h2>
        {done.data?.length === 0 && <p class="muted">{t('maint.noneDone')}</p>}
        <ul class="plain-list" data-testid="work-done">
          {(done.data ?? [])
            .slice(-10)
            .reverse()
            .map((item) => (
              <DoneItem key={item.id} item={item} assetName={assetName} />
            ))}
        </ul>
      </section>
    </div>
  );
}

interface WorkListProps {
  id: string;
  title: string;
  items: WorkItemView[];
  today: string;
  canAct: boolean;
  assetName: (key: string) => string;
  onDone: () => void;
}

/** Work items grouped by asset. */
function WorkList({ id, title, items, today, canAct, assetName, onDone }: WorkListProps) {
  const { t } = useI18n();
  const byAsset = new Map<string, WorkItemView[]>();
  for (const item of items) byAsset.set(item.asset, [...(byAsset.get(item.asset) ?? []), item]);
  return (
    <section class="panel" aria-labelledby={`${id}-title`} data-testid={`work-${id}`}>
      <h2 id={`${id}-title`} class="panel-title">
        {title}
      </h2>
      {items.length === 0 && <p class="muted">{t('maint.none')}</p>}
      {[...byAsset].map(([asset, list]) => (
        <div key={asset} class="work-asset">
          <h3 class="work-asset-name">{assetName(asset)}</h3>
          {list.map((item) => (
            <WorkCard key={item.id} item={item} today={today} canAct={canAct} onDone={onDone} />
          ))}
        </div>
      ))}
    </section>
  );
}

function WorkCard({ item, today, canAct, onDone }: { item: WorkItemView; today: string; canAct: boolean; onDone: () => void }) {
  const { api } = useSession();
  const { t } = useI18n();
  const action = useAction();
  const [note, setNote] = useState('');
  const lateDays = daysBetween(item.dueOn, today);
  return (
    <article class="work-card" data-testid={`work-item-${item.id}`}>
      <p class="work-name">{item.taskName}</p>
      <p class="work-due">
        {t('maint.dueOn', { date: item.dueOn })}
        {item.dueAtRunHours !== null && <> · {t('maint.dueAtHours', { hours: Math.round(item.dueAtRunHours) })}</>}{' '}
        {lateDays > 0 && <LevelBadge tone="bad" text={t('maint.overdueBy', { days: lateDays })} />}
      </p>
      {canAct && (
        <form
          class="work-complete"
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(() => api.completeWorkItem(item.id, note.trim() || null)).then((ok) => ok && onDone());
          }}
        >
          <label class="work-note">
            {t('maint.note')}
            <textarea value={note} rows={2} onInput={(event) => setNote(event.currentTarget.value)} data-testid={`work-note-${item.id}`} />
          </label>
          <button type="submit" class="button button-primary work-button" disabled={action.busy} data-testid={`work-complete-${item.id}`}>
            {t('maint.complete')}
          </button>
        </form>
      )}
      {action.problem && (
        <p class="notice notice-error" role="alert">
          {action.problem}
        </p>
      )}
    </article>
  );
}

function DoneItem({ item, assetName }: { item: WorkItemView; assetName: (key: string) => string }) {
  const { t, f } = useI18n();
  return (
    <li data-testid={`work-done-${item.id}`}>
      <strong>{assetName(item.asset)}</strong> · {item.taskName} ·{' '}
      {t('maint.doneBy', { who: item.completedBy ?? '', time: item.completedAt ? f.dateTime(Date.parse(item.completedAt)) : '' })}
      {item.note && <span class="work-done-note"> — {item.note}</span>}
    </li>
  );
}

function Schedules({ tasks, assetName }: { tasks: MaintenanceTaskView[] | undefined; assetName: (key: string) => string }) {
  const { t } = useI18n();
  const scheduled = (tasks ?? []).filter((task) => task.alertId === null);
  return (
    <section class="panel" aria-labelledby="schedules-title">
      <h2 id="schedules-title" class="panel-title">
        {t('maint.schedules')}
      </h2>
      {tasks && scheduled.length === 0 && <p class="muted">{t('maint.noSchedules')}</p>}
      <ul class="plain-list schedule-list" data-testid="schedules">
        {scheduled.map((task) => (
          <li key={task.id} data-testid={`schedule-${task.id}`}>
            <strong>{assetName(task.asset)}</strong> · {task.name} ·{' '}
            {task.recurrence && task.anchor
              ? t('maint.calendar', { recurrence: t(`maint.recurrence.${task.recurrence}`), anchor: task.anchor })
              : t('maint.runHours', { hours: task.everyRunHours ?? 0, point: task.runPoint ?? '' })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  let days = 0;
  for (let day = from; day < to && days < 3660; day = addDays(day, 1)) days++;
  return days;
}
