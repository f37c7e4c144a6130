import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
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
