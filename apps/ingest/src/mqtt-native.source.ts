import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { connectMqtt } from '@hallwatch/mqtt';
import { IngestPipeline } from './ingest-pipeline.service';

/** How long the broker keeps our session (and the QoS 1 messages for it) while ingest is away. */
const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

/**
 * Subscribes to the native v1 topics with QoS 1 on a persistent session, and acknowledges each
 * message only when the writer has stored it: a crash before that leaves it with the broker,
 * which delivers it again (and the store ignores what it already has).
 */
@Injectable()
export class MqttNativeSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MqttNativeSource.name);
  private client?: MqttClient;
  private readonly source: string;

  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly config: AppConfig,
    health: HealthRegistry,
  ) {
    this.source = `mqtt:${config.get('MQTT_TOPIC_PREFIX')}`;
    health.register({
      name: 'mqtt',
      check: async () => {
        if (!this.client?.connected) throw new Error(`not connected to ${new URL(config.get('MQTT_URL')).host}`);
        return { broker: new URL(config.get('MQTT_URL')).host, clientId: config.get('MQTT_CLIENT_ID') };
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const topic = `${this.config.get('MQTT_TOPIC_PREFIX')}/+/+`;
    this.client = await connectMqtt(this.config, {
      clientId: this.config.get('MQTT_CLIENT_ID'),
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS },
      customHandleAcks: (messageTopic, payload, _packet, done) => {
        this.pipeline.acceptNative({ source: this.source, topic: messageTopic, payload, receivedAt: Date.now() }, () => done(0));
      },
    });
    this.client.on('connect', () => this.logger.log('MQTT connected'));
    this.client.on('offline', () => this.logger.warn('MQTT offline, reconnecting'));
    this.client.on('error', (error) => this.logger.warn({ err: error }, 'MQTT error'));
    await this.client.subscribeAsync(topic, { qos: 1 });
    this.logger.log(`subscribed to ${topic} (QoS 1, persistent session ${this.config.get('MQTT_CLIENT_ID')})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.idle();
    await this.client?.endAsync();
  }
}
