import { IClientOptions, MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';
import { connectMqtt } from '@hallwatch/mqtt';

/** How long the broker keeps an ingest session (and its QoS 1 messages) while ingest is away. */
const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

export type IntakeHandler = (topic: string, payload: Buffer, ack: () => void) => void;

/**
 * A persistent MQTT 5 session whose QoS 1 messages are acknowledged only when `ack` is called
 * (after the store has them), so a crash before that leaves them with the broker. QoS 0 messages
 * have nothing to acknowledge and arrive through the same handler.
 */
export async function connectIntake(
  config: AppConfig,
  clientId: string,
  handle: IntakeHandler,
  options: IClientOptions = {},
): Promise<MqttClient> {
  const client = await connectMqtt(config, {
    clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS },
    customHandleAcks: (topic, payload, _packet, done) => handle(topic, payload, () => done(0)),
    ...options,
  });
  client.on('message', (topic, payload, packet) => {
    if (packet.qos === 0) handle(topic, payload, () => undefined);
  });
  return client;
}
