import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { Counter } from 'prom-client';
import { AppConfig } from '@hallwatch/config';
import { MetricsService } from '@hallwatch/core';
import { IngestMetrics } from '../ingest.metrics';
import { IngestPipeline } from '../ingest-pipeline.service';
import { connectIntake } from '../mqtt-intake';
import { SourcePresence } from '../source-presence.service';
import { RebirthRequest, SparkplugDecoder } from './sparkplug-decoder';
import { SPARKPLUG_NAMESPACE } from './sparkplug-topic';

/** At most one rebirth request per edge node in this window: a node needs time to publish its births. */
const REBIRTH_HOLD_OFF_MS = 5_000;

/**
 * Sparkplug B over MQTT, as a second accepted format: births, data with aliases, deaths, and a
 * rebirth request (NCMD `Node Control/Rebirth`) when an alias is unknown or a sequence breaks.
 */
@Injectable()
export class SparkplugSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SparkplugSource.name);
  private readonly decoder: SparkplugDecoder;
  private readonly lastRebirth = new Map<string, number>();
  private readonly rebirths: Counter<string>;
  private client?: MqttClient;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly presence: SourcePresence,
    private readonly config: AppConfig,
    private readonly ingestMetrics: IngestMetrics,
    metrics: MetricsService,
  ) {
    this.decoder = new SparkplugDecoder({
      maxPayloadBytes: config.get('INGEST_MAX_PAYLOAD_BYTES'),
      maxFutureMs: config.get('INGEST_MAX_FUTURE_SECONDS') * 1000,
      maxAgeMs: config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
    });
    this.rebirths = metrics.counter({
      name: 'hallwatch_sparkplug_rebirth_requests_total',
      help: 'Rebirth requests sent to edge nodes',
      labelNames: ['reason'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('SPARKPLUG')) return;
    const topics = this.config
      .get('SPARKPLUG_GROUPS')
      .split(',')
      .map((group) => `${SPARKPLUG_NAMESPACE}/${group.trim()}/#`);
    const clientId = `${this.config.get('MQTT_CLIENT_ID')}-sparkplug`;
    this.client = await connectIntake(
      this.config,
      clientId,
      (topic, payload, ack) =>
        this.pipeline.accept(
          { source: `sparkplug:${topic.split('/').slice(1, 2).join('')}`, topic, payload, receivedAt: Date.now() },
          (message) => {
            const outcome = this.decoder.decode(message.topic, message.payload, message.receivedAt);
            if (outcome.presence) this.presence.set('sparkplug', outcome.presence.id, outcome.presence.online);
            if (outcome.rebirth) this.requestRebirth(outcome.rebirth);
            return outcome.result;
          },
          ack,
        ),
      {},
      () => this.ingestMetrics.sessionLost(clientId),
    );
    this.client.on('error', (error) => this.logger.warn({ err: error }, 'MQTT error (Sparkplug)'));
    // noLocal (MQTT 5): our own rebirth commands are not telemetry. On 3.1.1 they arrive and are ignored.
    await this.client.subscribeAsync(topics, this.client.options.protocolVersion === 5 ? { qos: 1, nl: true } : { qos: 1 });
    this.logger.log(`Sparkplug B: subscribed to ${topics.join(', ')}`);
  }

  private requestRebirth(request: RebirthRequest): void {
    const nodeId = `${request.group}/${request.node}`;
    const last = this.lastRebirth.get(nodeId) ?? 0;
    if (Date.now() - last < REBIRTH_HOLD_OFF_MS) return;
    this.lastRebirth.set(nodeId, Date.now());
    this.rebirths.inc({ reason: request.reason.split(':')[0] });
    this.logger.log(`asking ${nodeId} for a rebirth: ${request.reason}`);
    const payload = encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] });
    this.client?.publish(`${SPARKPLUG_NAMESPACE}/${request.group}/NCMD/${request.node}`, Buffer.from(payload), { qos: 0 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.idle();
    await this.client?.endAsync();
  }
}
