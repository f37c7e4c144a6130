import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SiteDefinition } from '@hallwatch/registry';

export const TEST_MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A small site for tests: one meter and one chiller. */
export function testSite(key: string): SiteDefinition {
  return {
    key,
    name: 'Test city hall',
    timezone: 'Asia/Taipei',
    attributes: { contractCapacityKw: 1000 },
    opcua: [],
    assets: [
      {
        key: 'main-incomer',
        name: 'Main incomer',
        type: 'electricity-meter',
        tags: ['elec', 'meter'],
        attributes: {},
        points: [
          { key: 'kW', kind: 'gauge', unit: 'kW', tags: ['power'], attributes: {} },
          { key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: ['energy'], attributes: {} },
        ],
      },
      {
        key: 'chiller-1',
        name: 'Chiller 1',
        type: 'chiller',
        tags: ['chiller'],
        attributes: {},
        points: [
          { key: 'chwsT', kind: 'gauge', unit: '°C', tags: ['temp'], attributes: {} },
          { key: 'running', kind: 'status', unit: '', tags: [], attributes: {} },
        ],
      },
    ],
  };
}

/**
 * Settings that keep one suite apart from every other on the shared services: its own topic
 * prefix, MQTT client id, Redis prefix, data folder and registry folder.
 */
export function isolatedEnv(sites: SiteDefinition[], extra: Record<string, string> = {}): Record<string, string> {
  const id = randomBytes(5).toString('hex');
  const registryDir = mkdtempSync(join(tmpdir(), 'hallwatch-registry-'));
  writeFileSync(join(registryDir, 'sites.yaml'), stringify({ version: 1, sites }));
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'hallwatch-data-')),
    REGISTRY_DIR: registryDir,
    MQTT_URL: TEST_MQTT_URL,
    MQTT_TOPIC_PREFIX: `t-${id}/hallwatch/v1`,
    MQTT_CLIENT_ID: `hallwatch-test-${id}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `hwtest-${id}`,
    HALLWATCH_API_TOKEN: `test-admin-token-${id}`,
    SIMULATOR: 'off',
    SPARKPLUG: 'off',
    ...extra,
  };
}
