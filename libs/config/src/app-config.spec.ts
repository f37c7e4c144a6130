import { AppConfig, ConfigError } from './app-config';

describe('AppConfig', () => {
  it('fills every default on an empty environment', () => {
    const config = AppConfig.from({});
    expect(config.get('PORT')).toBe(3000);
    expect(config.get('DATABASE_URL')).toBeUndefined();
    expect(config.get('SIMULATOR')).toBe(true);
    expect(config.get('MQTT_TOPIC_PREFIX')).toBe('hallwatch/v1');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: Expected number/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL: Invalid url/],
    [{ INGEST_UNKNOWN: 'ignore' }, /INGEST_UNKNOWN: Invalid enum value/],
    [{ HALLWATCH_API_TOKEN: 'short' }, /HALLWATCH_API_TOKEN: must be at least 16 characters/],
    [{ MQTT_TOPIC_PREFIX: 'hallwatch/#' }, /MQTT_TOPIC_PREFIX/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => AppConfig.from(env)).toThrow(ConfigError);
    expect(() => AppConfig.from(env)).toThrow(message);
  });

  it('treats an empty DATABASE_URL as absent and redacts secrets', () => {
    const config = AppConfig.from({ DATABASE_URL: '', HALLWATCH_API_TOKEN: 'a-long-enough-token', SIMULATOR: 'off' });
    expect(config.get('DATABASE_URL')).toBeUndefined();
    expect(config.get('SIMULATOR')).toBe(false);
    expect(config.redacted()).toMatchObject({ HALLWATCH_API_TOKEN: '[redacted]' });
  });
});

describe('.env.example', () => {
  it('lists every variable of the schema, and nothing else', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { configSchema } = jest.requireActual<typeof import('./config.schema')>('./config.schema');
    const listed = readFileSync(`${__dirname}/../../../.env.example`, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(listed.sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
