import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * A connection that finds no session where there was one (a broker restarted without persistence,
 * or the session expired) means what was published meanwhile is gone: it is logged and
 * `onSessionLost` is called. That holds for a reconnect, and for the first connection of a process
 * whose client id had a session before (a marker in DATA_DIR says so: a host restarting both).
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
  let firstSessionPresent = false;
  const prepare = (client: MqttClient) => {
    client.once('connect', (connack: IConnackPacket) => (firstSessionPresent = connack.sessionPresent));
    client.handleMessage = (packet, callback) => {
      if (packet.cmd === 'publish') handle(packet.topic, packet.payload as Buffer, () => callback());
      else callback();
    };
  };
  const client = await connectPersistent(config, persistent, prepare);
  const lost = () => {
    logger.warn(
      { clientId, broker: new URL(config.get('MQTT_URL')).host },
      'MQTT session lost: the broker kept no session for this client (restarted without persistence, or it expired); messages published while disconnected are lost',
    );
    onSessionLost();
  };
  const marker = join(config.get('DATA_DIR'), 'mqtt-sessions', encodeURIComponent(clientId));
  if (!firstSessionPresent && existsSync(marker)) lost();
  mkdirSync(join(config.get('DATA_DIR'), 'mqtt-sessions'), { recursive: true });
  writeFileSync(marker, new Date().toISOString());
  // Registered after the first connection, which the marker judged.
  client.on('connect', (connack: IConnackPacket) => {
    if (!connack.sessionPresent) lost();
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
