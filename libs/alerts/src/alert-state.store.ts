import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { RuleChange, RuleDefinition, RuleState } from './rules';

interface Stored {
  version: number;
  definition: string;
  state: RuleState;
  /** Changes saved with the state and not yet known to be queued (see AlertEvaluator.advance). */
  pending?: RuleChange[];
}

export interface LoadedRuleState {
  version: number;
  state: RuleState | undefined;
  pending: RuleChange[];
}

/** Saves only if nobody saved since we loaded: several ingest instances evaluate the same rules. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = cjson.decode(current).version end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

export function definitionHash(rule: RuleDefinition): string {
  const hash = createHash('sha1')
    .update(JSON.stringify(rule.condition))
    .update(JSON.stringify(rule.schedule ?? null));
  // Only when set, so that rules without it keep the state they had before it existed.
  if (rule.appliesWhen) hash.update(JSON.stringify(rule.appliesWhen));
  return hash.digest('hex');
}

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
  async load(rule: RuleDefinition): Promise<LoadedRuleState> {
    const raw = await this.redis.client.get(this.prefix + rule.id);
    if (!raw) return { version: 0, state: undefined, pending: [] };
    const stored = JSON.parse(raw) as Stored;
    const pending = stored.pending ?? [];
    if (stored.definition === definitionHash(rule)) return { version: stored.version, state: stored.state, pending };
    return {
      version: stored.version,
      state: { open: stored.state.open, openedAt: stored.state.openedAt, createdAt: stored.state.createdAt, leaves: {}, lastSeen: {} },
      pending,
    };
  }

  /** Saves the state, with the changes still to queue, if nobody saved since `version`. */
  async save(rule: RuleDefinition, version: number, state: RuleState, pending: RuleChange[] = []): Promise<boolean> {
    const next: Stored = { version: version + 1, definition: definitionHash(rule), state, ...(pending.length > 0 ? { pending } : {}) };
    const saved = await this.redis.client.eval(COMPARE_AND_SET, 1, this.prefix + rule.id, String(version), JSON.stringify(next));
    return saved === 1;
  }

  /**
   * Its alert was resolved by someone, not by the rule: the rule forgets it was open, so that if its
   * condition still holds the next evaluation opens a new alert (marked re-opened). A rule with no
   * state, or one not open, is left as it is. Returns whether it was marked.
   */
  async markResolvedByHand(ruleId: string): Promise<boolean> {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const raw = await this.redis.client.get(this.prefix + ruleId);
      if (!raw) return false;
      const stored = JSON.parse(raw) as Stored;
      if (!stored.state.open) return false;
      const state: RuleState = { ...stored.state, open: false, openedAt: undefined, resolvedByHand: true };
      const next: Stored = { ...stored, version: stored.version + 1, state };
      const saved = await this.redis.client.eval(COMPARE_AND_SET, 1, this.prefix + ruleId, String(stored.version), JSON.stringify(next));
      if (saved === 1) return true;
    }
    throw new Error(`rule ${ruleId}: state kept changing under us while marking its alert resolved by hand`);
  }

  async remove(ruleId: string): Promise<void> {
    await this.redis.client.del(this.prefix + ruleId);
  }
}
