import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { IngestMetrics } from './ingest.metrics';
import { BatchWriter } from './batch-writer.service';
import { HistoryInbox } from './history-inbox';
import { IngestPipeline, ReceivedMessage } from './ingest-pipeline.service';
import { connectIntake } from './mqtt-intake';
import { parseNativeV1 } from './native-v1.parser';
import { ParseLimits } from './parse-result';

export function nativeParseLimits(config: AppConfig): ParseLimits {
  return {
    topicPrefix: config.get('MQTT_TOPIC_PREFIX'),
    maxPayloadBytes: config.get('INGEST_MAX_PAYLOAD_BYTES'),
    maxFutureMs: config.get('INGEST_MAX_FUTURE_SECONDS') * 1000,
    maxAgeMs: config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
  };
}

/** The native v1 format: `{prefix}/{site}/{asset}` with JSON readings, on a persistent QoS 1 session. */
@Injectable()
export class MqttNativeSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MqttNativeSource.name);
  private client?: MqttClient;
  private readonly source: string;
  private readonly limits: ParseLimits;
  private readonly inbox: HistoryInbox;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly config: AppConfig,
    private readonly metrics: IngestMetrics,
    writer: BatchWriter,
    health: HealthRegistry,
  ) {
    this.source = `mqtt:${config.get('MQTT_TOPIC_PREFIX')}`;
    this.limits = nativeParseLimits(config);
    this.inbox = new HistoryInbox(
      join(config.get('DATA_DIR'), 'spool', `${config.get('MQTT_CLIENT_ID')}.inbox`),
      config.get('SPOOL_MAX_BYTES'),
      config.get('SPOOL_SEGMENT_BYTES'),
      (message, taken) => this.accept(message, taken),
      { room: () => writer.roomForHistory(), hungry: () => writer.historyHungry() },
    );
    health.register({
      name: 'mqtt',
      check: async () => {
        if (!this.client?.connected) throw new Error(`not connected to ${new URL(config.get('MQTT_URL')).host}`);
        return { broker: new URL(config.get('MQTT_URL')).host, clientId: config.get('MQTT_CLIENT_ID'), historyInbox: this.inbox.waiting };
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const group = this.config.get('MQTT_SHARED_GROUP');
    const topic = group ? `$share/${group}/${this.limits.topicPrefix}/+/+` : `${this.limits.topicPrefix}/+/+`;
    const clientId = this.config.get('MQTT_CLIENT_ID');
    this.inbox.open();
    this.client = await connectIntake(
      this.config,
      clientId,
      (messageTopic, payload, ack) => {
        const message = { source: this.source, topic: messageTopic, payload, receivedAt: Date.now() };
        if (!this.inbox.offer(message, ack)) this.accept(message, ack);
      },
      {},
      () => this.metrics.sessionLost(clientId),
    );
    this.client.on('offline', () => this.logger.warn('MQTT offline, reconnecting'));
    this.client.on('error', (error) => this.logger.warn({ err: error }, 'MQTT error'));
    await this.client.subscribeAsync(topic, { qos: 1 });
    this.logger.log(`subscribed to ${topic} (QoS 1, persistent session ${this.config.get('MQTT_CLIENT_ID')})`);
  }

  private accept(message: ReceivedMessage, ack: () => void): void {
    this.pipeline.accept(message, (received) => parseNativeV1(received.topic, received.payload, received.receivedAt, this.limits), ack);
  }

  async onApplicationShutdown(): Promise<void> {
    // What the inbox holds stays there for the next start; drain the rest, so what was stored is acknowledged.
    await this.inbox.stop();
    await this.pipeline.idle();
    await this.client?.endAsync();
  }
}
