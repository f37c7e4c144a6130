import { connect, connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';

/** Options every Hallwatch MQTT connection shares: credentials from config, reconnect on its own. */
export function mqttOptions(config: AppConfig, options: IClientOptions = {}): IClientOptions {
  return {
    username: config.get('MQTT_USERNAME'),
    password: config.get('MQTT_PASSWORD'),
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    ...options,
  };
}

export function connectMqtt(config: AppConfig, options: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(config.get('MQTT_URL'), mqttOptions(config, options));
}

/**
 * Connects after `prepare` has set the client up (handlers that must see the very first message a
 * persistent session delivers on connect). Rejects with the broker's refusal, if any.
 */
export function connectPrepared(config: AppConfig, options: IClientOptions, prepare: (client: MqttClient) => void): Promise<MqttClient> {
  const client = connect(config.get('MQTT_URL'), { ...mqttOptions(config, options), manualConnect: true });
  prepare(client);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      client.removeListener('connect', succeed);
      client.end(true);
      reject(error);
    };
    const succeed = () => {
      client.removeListener('error', fail);
      resolve(client);
    };
    client.once('connect', succeed);
    client.once('error', fail);
    client.connect();
  });
}
