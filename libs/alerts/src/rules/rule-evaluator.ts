import { Breach, HOLD_MS, initialLeafState, LeafState, onSample, onTick } from './condition-state';
import { Condition, isGroup, LeafCondition, pointKey, pointsOfRule, RuleDefinition, ScheduleWindow } from './rule-definition';
import { isActive, OFFICE_HOURS } from './schedule';

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
  /** A rule gated by a running status: whether the equipment ran at its last status reading. */
  running?: boolean;
  /** Its alert was resolved by hand while the condition held: the next evaluation opens it again, saying so. */
  resolvedByHand?: boolean;
}

/** The site's side of an evaluation: its time zone, and its occupied hours for comfort rules. */
export interface SiteClock {
  zone: string;
  /** Default: weekdays 08:00-18:00. */
  occupiedHours?: ScheduleWindow[];
}

export interface RuleChange {
  kind: 'open' | 'resolve';
  at: number;
  /** The `at` of the open this change belongs to (itself, for an open). */
  openedAt: number;
  value: number | null;
  detail: string;
  /** An open's findings, one per condition that holds, for the alert's text in each language. */
  breaches?: Breach[];
  /** An open after its alert was resolved by hand while the condition still held. */
  reopened?: boolean;
  /** A resolve's why: the condition cleared, or the rule stopped applying. */
  reason?: ResolveReason;
}

export const RESOLVE_REASONS = ['cleared', 'not-running', 'unoccupied', 'outside-schedule'] as const;
export type ResolveReason = (typeof RESOLVE_REASONS)[number];

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
 * schedule and the site's occupied hours are read on the wall clock of the site's time zone.
 */
export function evaluateRule(
  rule: RuleDefinition,
  previous: RuleState | undefined,
  samples: readonly ReadingSample[],
  now: number,
  site: string | SiteClock,
): { state: RuleState; changes: RuleChange[] } {
  const { zone, occupiedHours = OFFICE_HOURS } = typeof site === 'string' ? { zone: site } : site;
  const state: RuleState = previous ? structuredClone(previous) : initialRuleState(rule, now);
  const ruleLeaves = leaves(rule.condition);
  for (const [path] of ruleLeaves) state.leaves[path] ??= initialLeafState();
  const wanted = new Set(pointsOfRule(rule).map(pointKey));
  const runningKey = rule.appliesWhen?.running && pointKey(rule.appliesWhen.running);
  const changes: RuleChange[] = [];

  /** Why the rule does not apply at an instant (equipment stopped, building unoccupied), or null when it does. */
  const gatedOut = (at: number): Exclude<ResolveReason, 'cleared' | 'outside-schedule'> | null => {
    if (runningKey && state.running !== true) return 'not-running';
    if (rule.appliesWhen?.occupied && !isActive({ windows: occupiedHours }, at, zone)) return 'unoccupied';
    return null;
  };
  const GATE_TEXT = { 'not-running': 'equipment not running', unoccupied: 'outside occupied hours' } as const;
  // Outside the gate nothing counts: a chiller starting after a night at rest begins its durations afresh.
  const forgetLeaves = () => {
    for (const [path] of ruleLeaves) state.leaves[path] = initialLeafState();
  };

  /** Only silence can open a rule at a tick long after its last reading: other leaves' states are that old. */
  const watchesSilence = ruleLeaves.some(([, leaf]) => leaf.type === 'no-data');
  const settle = (at: number, value: number | null, { stale = false } = {}) => {
    const gate = gatedOut(at);
    const active = isActive(rule.schedule, at, zone) && gate === null;
    const holds = active && combined(rule.condition, state) && !(stale && !state.open && !watchesSilence);
    if (!holds) delete state.resolvedByHand;
    if (holds === state.open) return;
    state.open = holds;
    const openedAt = holds ? at : (state.openedAt ?? at);
    state.openedAt = holds ? at : undefined;
    const details = ruleLeaves.map(([path]) => state.leaves[path].detail).filter((detail): detail is string => detail !== undefined);
    const detail =
      !active && !holds ? `${rule.name}: ${gate ? GATE_TEXT[gate] : 'outside its active hours'}` : details.join('; ') || rule.name;
    if (!holds) {
      const reason: ResolveReason = active ? 'cleared' : (gate ?? 'outside-schedule');
      changes.push({ kind: 'resolve', at, openedAt, value, detail, reason });
      return;
    }
    const breaches = ruleLeaves.flatMap(([path]) => {
      const leaf = state.leaves[path];
      return leaf.active && leaf.breach ? [leaf.breach] : [];
    });
    changes.push({ kind: 'open', at, openedAt, value, detail, breaches, ...(state.resolvedByHand ? { reopened: true } : {}) });
    delete state.resolvedByHand;
  };

  const relevant = samples.filter((sample) => wanted.has(`${sample.asset}/${sample.point}`)).sort((a, b) => a.ts - b.ts);
  for (const sample of relevant) {
    const key = `${sample.asset}/${sample.point}`;
    if (sample.ts <= (state.lastSeen[key] ?? -Infinity)) continue;
    state.lastSeen[key] = sample.ts;
    if (key === runningKey) state.running = sample.value >= 0.5;
    if (gatedOut(sample.ts) !== null) forgetLeaves();
    else
      for (const [path, leaf] of ruleLeaves) {
        if (pointKey(leaf.point) === key) onSample(leaf, state.leaves[path], sample.ts, sample.value, sample.note);
      }
    settle(sample.ts, sample.value);
  }

  const newest = Math.max(-Infinity, ...Object.values(state.lastSeen));
  if (now > newest) {
    if (gatedOut(now) !== null) forgetLeaves();
    else for (const [path, leaf] of ruleLeaves) onTick(leaf, state.leaves[path], now, state.createdAt);
    // A tick long after the last reading says nothing about values, only about silence and schedules:
    // it may close a rule whose hours ended, but not open one on readings older than the hold.
    settle(now, null, { stale: now - newest > HOLD_MS });
  }
  return { state, changes };
}

export { HOLD_MS };
