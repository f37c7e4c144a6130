import { readFileSync } from 'node:fs';
import { connect, connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { AppConfig } from '@hallwatch/config';

/**
 * Options every Hallwatch MQTT connection shares: credentials (MQTT_PASSWORD or MQTT_PASSWORD_FILE) and TLS material from config, reconnect
 * on its own. With mqtts:// the broker's certificate is always verified.
 */
export function mqttOptions(config: AppConfig, options: IClientOptions = {}): IClientOptions {
  const file = (key: 'MQTT_CA_FILE' | 'MQTT_CERT_FILE' | 'MQTT_KEY_FILE') => {
    const path = config.get(key);
    return path ? readFileSync(path) : undefined;
  };
  return {
    username: config.get('MQTT_USERNAME'),
    password: config.get('MQTT_PASSWORD') ?? passwordFile(config.get('MQTT_PASSWORD_FILE')),
    ca: file('MQTT_CA_FILE'),
    cert: file('MQTT_CERT_FILE'),
    key: file('MQTT_KEY_FILE'),
    rejectUnauthorized: true,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    ...options,
  };
}

/** A password file as secrets are mounted or generated: its first line. */
function passwordFile(path: string | undefined): string | undefined {
  return path === undefined ? undefined : readFileSync(path, 'utf8').split(/\r?\n/)[0];
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
