import type { AlertView, Severity } from '../api/api-types';

export const SEVERITY_ORDER: readonly Severity[] = ['P1', 'P2', 'P3', 'P4'];
const RECENTLY_RESOLVED = 50;

type Listener = () => void;

/**
 * The site's alerts as the dashboard knows them: loaded from the API, then kept current by the
 * socket's `alert` events. A change older than what is held (events can cross a reload) is ignored.
 */
export class AlertBook {
  private readonly byId = new Map<number, AlertView>();
  private readonly listeners = new Set<Listener>();

  constructor(readonly site: string) {}

  /** What the API listed: replaces everything, keeping any newer change that arrived meanwhile. */
  load(alerts: readonly AlertView[]): void {
    const previous = new Map(this.byId);
    this.byId.clear();
    for (const alert of alerts) this.keep(alert);
    for (const alert of previous.values()) if (this.isNewer(alert)) this.byId.set(alert.id, alert);
    this.changed();
  }

  apply(alert: AlertView): void {
    if (alert.site !== this.site || !this.isNewer(alert)) return;
    this.byId.set(alert.id, alert);
    this.changed();
  }

  /** Open and acknowledged alerts: most severe first, then newest first. */
  unresolved(): AlertView[] {
    return [...this.byId.values()]
      .filter((alert) => alert.state !== 'resolved')
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.openedAt.localeCompare(a.openedAt));
  }

  recentlyResolved(): AlertView[] {
    return [...this.byId.values()]
      .filter((alert) => alert.state === 'resolved')
      .sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''))
      .slice(0, RECENTLY_RESOLVED);
  }

  /** Unresolved alerts per severity; acknowledged ones count apart, as someone is on them. */
  counts(): Record<Severity, { open: number; acknowledged: number }> {
    const counts = Object.fromEntries(SEVERITY_ORDER.map((severity) => [severity, { open: 0, acknowledged: 0 }])) as Record<
      Severity,
      { open: number; acknowledged: number }
    >;
    for (const alert of this.byId.values()) {
      if (alert.state === 'open') counts[alert.severity].open += 1;
      if (alert.state === 'acknowledged') counts[alert.severity].acknowledged += 1;
    }
    return counts;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private keep(alert: AlertView): void {
    if (this.isNewer(alert)) this.byId.set(alert.id, alert);
  }

  private isNewer(alert: AlertView): boolean {
    const held = this.byId.get(alert.id);
    return !held || held.updatedAt <= alert.updatedAt;
  }

  private changed(): void {
    this.listeners.forEach((listener) => listener());
  }
}
