import { z } from 'zod';

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A point of the rule's site. `$source` is not an asset: its points are ingest sources (`opcua:<endpoint>`), 1 online, 0 offline. */
export const pointRefSchema = z.object({ asset: z.string().min(1), point: z.string().min(1) });
export type PointRef = z.infer<typeof pointRefSchema>;
export const SOURCE_ASSET = '$source';

export type Condition =
  | {
      type: 'threshold';
      point: PointRef;
      above?: number;
      below?: number;
      /** The value must stay past the limit this long to open, and back inside the hysteresis band this long to clear. */
      forSeconds: number;
      hysteresis: number;
    }
  | { type: 'rate-of-change'; point: PointRef; maxChangePerMinute: number; windowSeconds: number }
  | { type: 'no-data'; point: PointRef; minutes: number }
  | { type: 'demand-forecast'; point: PointRef; contractKw: number; marginPct: number }
  | { type: 'all' | 'any'; conditions: Condition[] };

const threshold = z
  .object({
    type: z.literal('threshold'),
    point: pointRefSchema,
    above: z.number().finite().optional(),
    below: z.number().finite().optional(),
    forSeconds: z.number().min(0).default(0),
    hysteresis: z.number().min(0).default(0),
  })
  .refine((c) => (c.above === undefined) !== (c.below === undefined), { message: 'a threshold has either above or below' });

export const conditionSchema: z.ZodType<Condition, z.ZodTypeDef, unknown> = z.lazy(() =>
  z.union([
    threshold,
    z.object({
      type: z.literal('rate-of-change'),
      point: pointRefSchema,
      maxChangePerMinute: z.number().positive(),
      windowSeconds: z.number().positive().default(600),
    }),
    z.object({ type: z.literal('no-data'), point: pointRefSchema, minutes: z.number().positive() }),
    z.object({
      type: z.literal('demand-forecast'),
      point: pointRefSchema,
      contractKw: z.number().positive(),
      marginPct: z.number().default(0),
    }),
    z.object({ type: z.enum(['all', 'any']), conditions: z.array(conditionSchema).min(1) }),
  ]),
);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time as 'HH:MM'");
export const scheduleWindowSchema = z.object({ days: z.array(z.number().int().min(0).max(6)).min(1), from: hhmm, to: hhmm });
export type ScheduleWindow = z.infer<typeof scheduleWindowSchema>;
export const SCHEDULE_PRESETS = ['always', 'office-hours', 'after-hours', 'nights', 'weekends'] as const;
export const activeScheduleSchema = z.union([
  z.object({ preset: z.enum(SCHEDULE_PRESETS) }),
  z.object({ windows: z.array(scheduleWindowSchema).min(1) }),
]);
export type ActiveSchedule = z.infer<typeof activeScheduleSchema>;

export const ruleDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._:-]*$/, 'rule ids are lower-case letters, digits and . _ : -'),
  name: z.string().min(1),
  severity: z.enum(SEVERITIES).default('P3'),
  site: z.string().min(1),
  /** What one open alert is about, usually an asset key: one open alert per rule and target. */
  target: z.string().min(1),
  condition: conditionSchema,
  schedule: activeScheduleSchema.optional(),
  message: z.string().optional(),
  /** Which kind of starter-pack rule this is (`chiller-low-delta-t`...): its texts and advice come from the catalogue. */
  kind: z.string().optional(),
  /** The rule's name in each language (the starter pack writes both); `name` stays for readers that know one. */
  names: z.object({ 'zh-TW': z.string().min(1), en: z.string().min(1) }).optional(),
  /**
   * When the rule applies at all: equipment rules while the equipment runs (its status point reads 1),
   * comfort rules in the site's occupied hours. Outside, durations do not count and an open alert resolves.
   */
  appliesWhen: z.object({ running: pointRefSchema.optional(), occupied: z.boolean().optional() }).optional(),
  /** The night patrol's threshold follows the building: a daily job sets `above` to the night base load × factor. */
  tuning: z.object({ kind: z.literal('night-base-load'), factor: z.number().min(1) }).optional(),
});
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

export type GroupCondition = Extract<Condition, { conditions: Condition[] }>;
export type LeafCondition = Exclude<Condition, GroupCondition>;

export const isGroup = (condition: Condition): condition is GroupCondition => 'conditions' in condition;

/** Every point a condition reads. */
export function pointsOf(condition: Condition): PointRef[] {
  return isGroup(condition) ? condition.conditions.flatMap(pointsOf) : [condition.point];
}

export const pointKey = (ref: PointRef) => `${ref.asset}/${ref.point}`;

/** Every point a rule reads: its condition's and the running status it is gated by. */
export function pointsOfRule(rule: Pick<RuleDefinition, 'condition' | 'appliesWhen'>): PointRef[] {
  const running = rule.appliesWhen?.running;
  return running ? [...pointsOf(rule.condition), running] : pointsOf(rule.condition);
}
