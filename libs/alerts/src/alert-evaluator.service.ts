import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import Redis from 'ioredis';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { Faults, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { AlertRulesRepository, ZonedRule } from './alert-rules.repository';
import { AlertStateStore } from './alert-state.store';
import { evaluateRule, pointsOfRule, ReadingSample, RuleChange, RuleDefinition, SOURCE_ASSET } from './rules';

export interface SiteSample extends ReadingSample {
  site: string;
}

const RELOAD_MS = 60_000;
const MAX_ATTEMPTS = 8;

export const transitionJobId = (ruleId: string, kind: RuleChange['kind'], at: number) =>
  createHash('sha1').update(`${ruleId}|${kind}|${at}`).digest('hex');

/**
 * Evaluates the alert rules on the ingest stream, batch by batch, with rule state in Redis so that
 * it survives restarts and is shared by every ingest instance. Only state changes leave here, as
 * BullMQ jobs; the same change found twice (a redelivered batch) is one job.
 */
@Injectable()
export class AlertEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AlertEvaluator.name);
  private byPoint = new Map<string, ZonedRule[]>();
  private all: ZonedRule[] = [];
  private subscriber?: Redis;
  private timer?: NodeJS.Timeout;
  private readonly channel: string;

  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly states: AlertStateStore,
    private readonly redis: RedisService,
    @InjectQueue(QUEUES.alerts) private readonly queue: Queue,
    private readonly faults: Faults,
    config: AppConfig,
  ) {
    this.channel = `${config.get('REDIS_PREFIX')}:alert-rules-changed`;
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', () => void this.reload().catch((error: Error) => this.logger.warn(`reloading rules: ${error.message}`)));
    await this.subscriber.subscribe(this.channel);
    this.timer = setInterval(() => void this.reload().catch(() => undefined), RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Tells every evaluator (all ingest instances and workers) that rules changed. */
  async announceChange(): Promise<void> {
    await this.redis.client.publish(this.channel, 'changed');
  }

  async reload(): Promise<void> {
    this.all = await this.rules.enabled();
    const byPoint = new Map<string, ZonedRule[]>();
    for (const zoned of this.all) {
      const { rule } = zoned;
      for (const point of pointsOfRule(rule)) {
        // Sources ($source) belong to no site: a rule of any site may watch one.
        const key = point.asset === SOURCE_ASSET ? `*/${point.asset}/${point.point}` : `${rule.site}/${point.asset}/${point.point}`;
        const list = byPoint.get(key) ?? [];
        if (!list.includes(zoned)) list.push(zoned);
        byPoint.set(key, list);
      }
    }
    this.byPoint = byPoint;
  }

  /** A batch of stored readings (or source changes, site '*'). */
  async evaluate(samples: readonly SiteSample[], now = Date.now()): Promise<number> {
    const affected = new Map<ZonedRule, ReadingSample[]>();
    for (const sample of samples) {
      for (const rule of this.byPoint.get(`${sample.site}/${sample.asset}/${sample.point}`) ?? []) {
        const list = affected.get(rule) ?? [];
        list.push(sample);
        affected.set(rule, list);
      }
    }
    const counts = await Promise.all([...affected].map(([rule, ruleSamples]) => this.advance(rule, ruleSamples, now)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Time passes for every rule: silence (no data) and schedules. */
  async tick(now = Date.now()): Promise<number> {
    const counts = await Promise.all(this.all.map((rule) => this.advance(rule, [], now)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * A rule's state and the transitions it calls for are saved together (the transitions as
   * `pending`), then queued, then cleared: an evaluator that dies between saving and queuing
   * leaves them in the state, and whoever advances the rule next (a reading, the worker's tick)
   * queues them. Job ids make queuing twice harmless.
   */
  private async advance({ rule, timezone, occupiedHours }: ZonedRule, samples: ReadingSample[], now: number): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const { version, state, pending } = await this.states.load(rule);
      if (pending.length > 0 && state) {
        await this.enqueue(rule, pending);
        await this.states.save(rule, version, state);
        continue;
      }
      const result = evaluateRule(rule, state, samples, now, { zone: timezone, occupiedHours });
      if (state && result.changes.length === 0 && isDeepStrictEqual(result.state, state)) return 0;
      if (!(await this.states.save(rule, version, result.state, result.changes))) continue;
      if (result.changes.length > 0) {
        this.faults.crashAt('crash-after-rule-state');
        await this.enqueue(rule, result.changes);
        // Best effort: if another evaluator saved meanwhile, it found the changes pending and queued them too.
        await this.states.save(rule, version + 1, result.state);
      }
      return result.changes.length;
    }
    throw new Error(`rule ${rule.id}: state kept changing under us (${MAX_ATTEMPTS} attempts)`);
  }

  private async enqueue(rule: RuleDefinition, changes: RuleChange[]): Promise<void> {
    await this.queue.addBulk(
      changes.map((change) => {
        const data: JobPayloads['alerts.transition'] = { ruleId: rule.id, site: rule.site, target: rule.target, change };
        return {
          name: 'alerts.transition',
          data,
          opts: { jobId: transitionJobId(rule.id, change.kind, change.at), attempts: 20, backoff: { type: 'exponential', delay: 500 } },
        };
      }),
    );
  }
}
