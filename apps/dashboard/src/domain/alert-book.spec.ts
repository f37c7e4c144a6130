import type { AlertView } from '../api/api-types';
import { AlertBook } from './alert-book';

const alert = (id: number, patch: Partial<AlertView> = {}): AlertView => ({
  id,
  ruleId: `rule-${id}`,
  site: 'hall',
  target: 'chiller-1',
  state: 'open',
  severity: 'P3',
  title: `alert ${id}`,
  detail: '',
  value: null,
  facts: null,
  repeats: 0,
  assignee: null,
  shelvedUntil: null,
  escalationLevel: 0,
  openedAt: '2026-07-06T02:00:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  updatedAt: '2026-07-06T02:00:00.000Z',
  ...patch,
});

describe('AlertBook', () => {
  it('lists unresolved alerts most severe first, then newest, and counts them by severity', () => {
    const book = new AlertBook('hall');
    book.load([
      alert(1, { severity: 'P3', openedAt: '2026-07-06T01:00:00.000Z' }),
      alert(2, { severity: 'P1' }),
      alert(3, { severity: 'P3', openedAt: '2026-07-06T03:00:00.000Z', state: 'acknowledged' }),
      alert(4, { state: 'resolved', resolvedAt: '2026-07-06T04:00:00.000Z' }),
    ]);
    expect(book.unresolved().map((a) => a.id)).toEqual([2, 3, 1]);
    expect(book.recentlyResolved().map((a) => a.id)).toEqual([4]);
    expect(book.counts()).toEqual({
      P1: { open: 1, acknowledged: 0 },
      P2: { open: 0, acknowledged: 0 },
      P3: { open: 1, acknowledged: 1 },
      P4: { open: 0, acknowledged: 0 },
    });
  });

  it('applies live changes, ignores older ones and other sites, and tells its listeners', () => {
    const book = new AlertBook('hall');
    let heard = 0;
    book.subscribe(() => (heard += 1));
    book.apply(alert(1));
    book.apply(alert(1, { state: 'acknowledged', updatedAt: '2026-07-06T02:05:00.000Z' }));
    book.apply(alert(1, { state: 'open', updatedAt: '2026-07-06T02:01:00.000Z' }));
    book.apply(alert(9, { site: 'elsewhere' }));
    expect(book.unresolved()).toEqual([expect.objectContaining({ id: 1, state: 'acknowledged' })]);
    expect(heard).toBe(2);
  });

  it('keeps a change that arrived while a reload was under way', () => {
    const book = new AlertBook('hall');
    book.apply(alert(1, { state: 'resolved', resolvedAt: '2026-07-06T02:09:00.000Z', updatedAt: '2026-07-06T02:09:00.000Z' }));
    book.load([alert(1, { updatedAt: '2026-07-06T02:00:00.000Z' })]);
    expect(book.unresolved()).toEqual([]);
  });
});
