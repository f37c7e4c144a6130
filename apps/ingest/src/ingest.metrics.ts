import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@hallwatch/core';
import { LedgerEntry } from '@hallwatch/readings';

/**
 * The loss ledger in metrics: per source, messages received; readings stored and duplicate;
 * rejections by reason. Every rejected reading (or message, when the whole message is unreadable)
 * is counted once.
 */
@Injectable()
export class IngestMetrics {
  private readonly messages: Counter<string>;
  private readonly readings: Counter<string>;
  private readonly rejected: Counter<string>;
  private readonly late: Counter<string>;
  readonly batchSize: Histogram<string>;
  readonly writeSeconds: Histogram<string>;
  readonly writeFailures: Counter<string>;
  readonly pending: Gauge<string>;
  readonly spoolBytes: Gauge<string>;
  private readonly sessionsLost: Counter<string>;

  constructor(metrics: MetricsService) {
    this.messages = metrics.counter({ name: 'hallwatch_ingest_messages_total', help: 'Messages received', labelNames: ['source'] });
    this.readings = metrics.counter({
      name: 'hallwatch_ingest_readings_total',
      help: 'Readings accepted: stored (new) or duplicate (already stored, re-delivered)',
      labelNames: ['source', 'outcome'],
    });
    this.rejected = metrics.counter({
      name: 'hallwatch_ingest_rejected_total',
      help: 'Rejections by reason; each is kept as a dead letter',
      labelNames: ['source', 'reason'],
    });
    this.late = metrics.counter({
      name: 'hallwatch_ingest_late_readings_total',
      help: 'Readings stored more than 15 minutes after their timestamp',
      labelNames: ['source'],
    });
    this.batchSize = metrics.histogram({
      name: 'hallwatch_ingest_batch_readings',
      help: 'Readings per database write',
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 20000],
    });
    this.writeSeconds = metrics.histogram({
      name: 'hallwatch_ingest_write_seconds',
      help: 'Time to store a batch (its rollups follow from the refresher)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.writeFailures = metrics.counter({ name: 'hallwatch_ingest_write_failures_total', help: 'Failed batch writes (retried)' });
    this.spoolBytes = metrics.gauge({
      name: 'hallwatch_ingest_spool_bytes',
      help: 'Bytes in the local spool (acknowledged, not yet known stored)',
    });
    this.sessionsLost = metrics.counter({
      name: 'hallwatch_mqtt_sessions_lost_total',
      help: 'Reconnects of a persistent MQTT session that found no session on the broker: messages published meanwhile were lost',
      labelNames: ['client'],
    });
    this.pending = metrics.gauge({ name: 'hallwatch_ingest_pending_readings', help: 'Readings received but not yet stored' });
  }

  received(source: string): void {
    this.messages.inc({ source });
  }

  sessionLost(client: string): void {
    this.sessionsLost.inc({ client });
  }

  /** The ledger of a stored batch, as counters (the database holds the durable copy). */
  record(entries: readonly LedgerEntry[]): void {
    for (const { source, outcome, count } of entries) {
      if (outcome === 'stored' || outcome === 'duplicate') this.readings.inc({ source, outcome }, count);
      else if (outcome.startsWith('rejected:')) this.rejected.inc({ source, reason: outcome.slice('rejected:'.length) }, count);
      else if (outcome === 'late') this.late.inc({ source }, count);
    }
  }
}
