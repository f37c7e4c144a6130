import { z } from 'zod';
import { breachSchema } from '../rules';

/** A breach with what the registry says of its point: its unit and name. */
export const alertBreachSchema = breachSchema.extend({ unit: z.string(), pointName: z.string().nullable() });
export type AlertBreach = z.infer<typeof alertBreachSchema>;

export const ruleNamesSchema = z.object({ 'zh-TW': z.string(), en: z.string() });

/**
 * Everything an alert's text is made of, stored with the alert so that it is told in each reader's
 * language: the rule's kind and names, the place by its registry names, and what was found.
 */
export const alertFactsSchema = z.object({
  /** The starter-pack kind (its advice), or null for a rule written by hand. */
  kind: z.string().nullable(),
  /** The rule's name in both languages, when it has them. */
  names: ruleNamesSchema.nullable(),
  site: z.string(),
  floor: z.string().nullable(),
  /** The asset's registry name; null when the target is not an asset (an OPC UA server). */
  asset: z.string().nullable(),
  target: z.string(),
  breaches: z.array(alertBreachSchema),
  /** Opened again after being resolved by hand while the condition still held. */
  reopened: z.boolean().default(false),
});
export type AlertFacts = z.infer<typeof alertFactsSchema>;
