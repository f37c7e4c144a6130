import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { HealthRegistry, MetricsService } from '@hallwatch/core';
import { AlertFeed } from './alert-feed.service';

export interface PresenceEntry {
  source: string;
  id: string;
  online: boolean;
  since: number;
}

/**
 * Which devices and connections are online: Sparkplug edge nodes and devices (births and deaths),
 * OPC UA endpoints. Seen in metrics and health, and fed to the alert rules as `$source` points.
 */
@Injectable()
export class SourcePresence {
  private readonly entries = new Map<string, PresenceEntry>();
  private readonly gauge: Gauge<string>;

  constructor(
    metrics: MetricsService,
    health: HealthRegistry,
    private readonly alerts: AlertFeed,
  ) {
    this.gauge = metrics.gauge({
      name: 'hallwatch_source_online',
      help: '1 while a device or connection is online, 0 after it went offline',
      labelNames: ['source', 'id'],
    });
    health.register({
      name: 'sources',
      check: async () => {
        const all = [...this.entries.values()];
        return {
          online: all.filter((entry) => entry.online).length,
          offline: all.filter((entry) => !entry.online).map((entry) => `${entry.source} ${entry.id}`),
        };
      },
    });
  }

  set(source: string, id: string, online: boolean, reason?: string): void {
    const key = `${source} ${id}`;
    if (this.entries.get(key)?.online === online) return;
    const since = Date.now();
    this.entries.set(key, { source, id, online, since });
    this.gauge.set({ source, id }, online ? 1 : 0);
    this.alerts.presence(source, id, online, since, reason);
  }

  /**
   * Still offline (another failed attempt): told to the alert rules again, so that a rule added
   * after the source went offline (its endpoint new in the registry, the rule seeded a moment
   * later) still sees it, and learns the latest reason.
   */
  stillOffline(source: string, id: string, reason?: string): void {
    if (this.entries.get(`${source} ${id}`)?.online !== false) return;
    this.alerts.presence(source, id, false, Date.now(), reason);
  }

  list(): PresenceEntry[] {
    return [...this.entries.values()];
  }
}
