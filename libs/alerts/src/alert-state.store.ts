import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { RuleDefinition, RuleState } from './rules';

interface Stored {
  version: number;
  definition: string;
  state: RuleState;
}

/** Saves only if nobody saved since we loaded: several ingest instances evaluate the same rules. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = cjson.decode(current).version end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

export const definitionHash = (rule: RuleDefinition) =>
  createHash('sha1')
    .update(JSON.stringify(rule.condition))
    .update(JSON.stringify(rule.schedule ?? null))
    .digest('hex');

/** Rule state in Redis, one key per rule, versioned so concurrent evaluators never overwrite each other. */
@Injectable()
export class AlertStateStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.prefix = `${config.get('REDIS_PREFIX')}:alert-state:`;
  }

  /**
   * The rule's state and its version. A rule whose condition or schedule changed starts afresh,
   * keeping only whether its alert is open, so an open alert can still resolve.
   */
  async load(rule: RuleDefinition): Promise<{ version: number; state: RuleState | undefined }> {
    const raw = await this.redis.client.get(this.prefix + rule.id);
    if (!raw) return { version: 0, state: undefined };
    const stored = JSON.parse(raw) as Stored;
    if (stored.definition === definitionHash(rule)) return { version: stored.version, state: stored.state };
    return {
      version: stored.version,
      state: { open: stored.state.open, openedAt: stored.state.openedAt, createdAt: stored.state.createdAt, leaves: {}, lastSeen: {} },
    };
  }

  async save(rule: RuleDefinition, version: number, state: RuleState): Promise<boolean> {
    const next: Stored = { version: version + 1, definition: definitionHash(rule), state };
    const saved = await this.redis.client.eval(COMPARE_AND_SET, 1, this.prefix + rule.id, String(version), JSON.stringify(next));
    return saved === 1;
  }

  async remove(ruleId: string): Promise<void> {
    await this.redis.client.del(this.prefix + ruleId);
  }
}
