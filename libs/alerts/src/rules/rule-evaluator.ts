import { HOLD_MS, initialLeafState, LeafState, onSample, onTick } from './condition-state';
import { Condition, isGroup, LeafCondition, pointKey, pointsOf, RuleDefinition } from './rule-definition';
import { isActive } from './schedule';

export interface ReadingSample {
  asset: string;
  point: string;
  ts: number;
  value: number;
  /** Why the value is what it is, for the alert's text: a source's reason for being offline. */
  note?: string;
}

/** A rule's memory for one target: JSON-serialisable and bounded; kept in Redis between batches. */
export interface RuleState {
  open: boolean;
  /** When the open alert opened: a resolve names it, so it is never applied before its open. */
  openedAt?: number;
  createdAt: number;
  /** Per leaf condition, by its path in the condition tree ('0', '0.1', ...). */
  leaves: Record<string, LeafState>;
  /** The newest reading seen per point: older ones arriving later are ignored, so late data cannot flap a rule. */
  lastSeen: Record<string, number>;
}

export interface RuleChange {
  kind: 'open' | 'resolve';
  at: number;
  /** The `at` of the open this change belongs to (itself, for an open). */
  openedAt: number;
  value: number | null;
  detail: string;
}

function leaves(condition: Condition, path = '0'): [string, LeafCondition][] {
  return isGroup(condition) ? condition.conditions.flatMap((child, i) => leaves(child, `${path}.${i}`)) : [[path, condition]];
}

function combined(condition: Condition, state: RuleState, path = '0'): boolean {
  if (condition.type === 'all') return condition.conditions.every((child, i) => combined(child, state, `${path}.${i}`));
  if (condition.type === 'any') return condition.conditions.some((child, i) => combined(child, state, `${path}.${i}`));
  return state.leaves[path]?.active ?? false;
}

export function initialRuleState(rule: RuleDefinition, now: number): RuleState {
  return {
    open: false,
    createdAt: now,
    leaves: Object.fromEntries(leaves(rule.condition).map(([path]) => [path, initialLeafState()])),
    lastSeen: {},
  };
}

/**
 * Advances a rule through a batch of readings (any order, duplicates and other points allowed)
 * and then to `now`, returning the new state and every open/resolve it went through, in order:
 * a back-filled batch may both open and resolve an alert, and both are reported. The rule's
 * schedule is read on the wall clock of `zone`, its site's time zone.
 */
export function evaluateRule(
  rule: RuleDefinition,
  previous: RuleState | undefined,
  samples: readonly ReadingSample[],
  now: number,
  zone: string,
): { state: RuleState; changes: RuleChange[] } {
  const state: RuleState = previous ? structuredClone(previous) : initialRuleState(rule, now);
  const ruleLeaves = leaves(rule.condition);
  for (const [path] of ruleLeaves) state.leaves[path] ??= initialLeafState();
  const wanted = new Set(pointsOf(rule.condition).map(pointKey));
  const changes: RuleChange[] = [];

  const settle = (at: number, value: number | null) => {
    const active = isActive(rule.schedule, at, zone);
    const holds = active && combined(rule.condition, state);
    if (holds === state.open) return;
    state.open = holds;
    const openedAt = holds ? at : (state.openedAt ?? at);
    state.openedAt = holds ? at : undefined;
    const details = ruleLeaves.map(([path]) => state.leaves[path].detail).filter((detail): detail is string => detail !== undefined);
    const detail = !active && !holds ? `${rule.name}: outside its active hours` : details.join('; ') || rule.name;
    changes.push({ kind: holds ? 'open' : 'resolve', at, openedAt, value, detail });
  };

  const relevant = samples.filter((sample) => wanted.has(`${sample.asset}/${sample.point}`)).sort((a, b) => a.ts - b.ts);
  for (const sample of relevant) {
    const key = `${sample.asset}/${sample.point}`;
    if (sample.ts <= (state.lastSeen[key] ?? -Infinity)) continue;
    state.lastSeen[key] = sample.ts;
    for (const [path, leaf] of ruleLeaves) {
      if (pointKey(leaf.point) === key) onSample(leaf, state.leaves[path], sample.ts, sample.value, sample.note);
    }
    settle(sample.ts, sample.value);
  }

  const newest = Math.max(-Infinity, ...Object.values(state.lastSeen));
  if (now > newest) {
    for (const [path, leaf] of ruleLeaves) onTick(leaf, state.leaves[path], now, state.createdAt);
    // A tick long after the last reading says nothing about values, only about silence and schedules.
    settle(now, null);
  }
  return { state, changes };
}

export { HOLD_MS };
