import { Logger } from '@nestjs/common';
import { ErrorWithReasonCode, IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';
import { connectPrepared } from '@hallwatch/mqtt';

/** How long the broker keeps an ingest session (and its QoS 1 messages) while ingest is away (MQTT 5). */
const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;
/** CONNACK reason when a broker does not speak the protocol version asked for. */
const UNACCEPTABLE_PROTOCOL_VERSION = 1;

export type IntakeHandler = (topic: string, payload: Buffer, ack: () => void) => void;

const logger = new Logger('MqttIntake');

/**
 * A persistent MQTT session whose QoS 1 messages are acknowledged only when `ack` is called:
 * mqtt.js sends the PUBACK when its `handleMessage` hook calls back, for MQTT 5 and 3.1.1 alike.
 * MQTT 5 is asked for first; a broker that refuses it (such as the embedded demo broker) gets 3.1.1.
 * A reconnect that finds no session (a broker restarted without persistence, or the session
 * expired) means what was published meanwhile is gone: it is logged and `onSessionLost` is called.
 */
export async function connectIntake(
  config: AppConfig,
  clientId: string,
  handle: IntakeHandler,
  options: IClientOptions = {},
  onSessionLost: () => void = () => undefined,
): Promise<MqttClient> {
  const persistent: IClientOptions = { clientId, clean: false, ...options };
  // Set before connecting: a persistent session delivers what the broker kept as soon as it opens.
  const prepare = (client: MqttClient) => {
    client.handleMessage = (packet, callback) => {
      if (packet.cmd === 'publish') handle(packet.topic, packet.payload as Buffer, () => callback());
      else callback();
    };
  };
  const client = await connectPersistent(config, persistent, prepare);
  // Registered after the first connection: on that one, no session is expected of a new client id.
  client.on('connect', (connack: IConnackPacket) => {
    if (connack.sessionPresent) return;
    logger.warn(
      { clientId, broker: new URL(config.get('MQTT_URL')).host },
      'MQTT session lost: the broker kept no session across the reconnect (restarted without persistence, or it expired); messages published while disconnected are lost',
    );
    onSessionLost();
  });
  return client;
}

async function connectPersistent(config: AppConfig, persistent: IClientOptions, prepare: (client: MqttClient) => void): Promise<MqttClient> {
  try {
    return await connectPrepared(
      config,
      { ...persistent, protocolVersion: 5, properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS } },
      prepare,
    );
  } catch (error) {
    if ((error as ErrorWithReasonCode).code !== UNACCEPTABLE_PROTOCOL_VERSION) throw error;
    return connectPrepared(config, { ...persistent, protocolVersion: 4 }, prepare);
  }
}
