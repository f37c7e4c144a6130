import { z } from 'zod';
import { CHANNELS, escalationPolicySchema, maintenanceTaskSchema, RECURRENCES, ruleDefinitionSchema, SEVERITIES } from '@hallwatch/alerts';
import { attributes, isoDateTime, isoDay, siteScope } from '../openapi/common.schema';

/** What the alerts, alert rules, notification settings and maintenance routes answer. */

export const ruleBody = ruleDefinitionSchema.omit({ id: true, site: true });

export const storedRule = z.object({
  rule: ruleDefinitionSchema,
  enabled: z.boolean(),
  origin: z.string(),
  updatedBy: z.string(),
  updatedAt: isoDateTime,
});

export const starterPackAnswer = z.object({ added: z.number().int(), rules: z.array(z.string()) });

export const alert = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  site: z.string(),
  target: z.string(),
  state: z.enum(['open', 'acknowledged', 'resolved']),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  detail: z.string(),
  value: z.number().nullable(),
  facts: attributes.nullable().describe("what the text is made of, to tell it in each reader's language"),
  repeats: z.number().int(),
  assignee: z.string().nullable(),
  shelvedUntil: isoDateTime.nullable(),
  escalationLevel: z.number().int(),
  openedAt: isoDateTime,
  acknowledgedAt: isoDateTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: isoDateTime.nullable(),
  resolvedBy: z.string().nullable(),
  updatedAt: isoDateTime,
});

export const alertEvent = z.object({ id: z.number().int(), at: isoDateTime, actor: z.string(), action: z.string(), detail: attributes });

export const notification = z.object({
  id: z.string().uuid(),
  alertId: z.number().int(),
  contactId: z.string(),
  channel: z.enum(CHANNELS),
  reason: z.enum(['opened', 'repeat', 'escalated', 'resolved']),
  level: z.number().int(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: isoDateTime,
  deliveredAt: isoDateTime.nullable(),
});

export const alertWithHistory = alert.extend({ events: z.array(alertEvent), notifications: z.array(notification) });

export const contactViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(CHANNELS),
  address: z.string().describe('e-mail address, or only the host and last four characters of a webhook or chat URL'),
  signed: z.boolean(),
  sites: siteScope,
  lang: z.string(),
});

export const sitePolicy = escalationPolicySchema.and(z.object({ site: z.string() }));

const maintenanceTaskFields = maintenanceTaskSchema.innerType().shape;
export const maintenanceTask = z.object({
  ...maintenanceTaskFields,
  recurrence: z.enum(RECURRENCES).nullable(),
  anchor: isoDay.nullable(),
  id: z.string(),
  lastDoneRunHours: z.number(),
  alertId: z.number().int().nullable(),
  timezone: z.string(),
});

export const workItem = z.object({
  id: z.number().int(),
  taskId: z.string(),
  taskName: z.string(),
  site: z.string(),
  asset: z.string(),
  dueOn: isoDay,
  state: z.enum(['open', 'done']),
  dueAtRunHours: z.number().nullable(),
  completedAt: isoDateTime.nullable(),
  completedBy: z.string().nullable(),
  note: z.string().nullable(),
});

export const ALERT_EXAMPLE = {
  id: 42,
  ruleId: 'starter.demo-city-hall.chiller-low-delta-t.chiller-1',
  site: 'demo-city-hall',
  target: 'chiller-1',
  state: 'open',
  severity: 'P2',
  title: 'Chiller 1: low delta-T',
  detail: 'Supply/return delta-T 2.1 °C below 3 °C for 15 min',
  value: 2.1,
  facts: null,
  repeats: 0,
  assignee: null,
  shelvedUntil: null,
  escalationLevel: 0,
  openedAt: '2026-12-01T02:15:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  updatedAt: '2026-12-01T02:15:00.000Z',
};

export const RULE_EXAMPLE = {
  rule: {
    id: 'chiller-1-supply-high',
    name: 'Chiller 1 supply water too warm',
    severity: 'P2',
    site: 'demo-city-hall',
    target: 'chiller-1',
    condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'chwsT' }, above: 9, forSeconds: 600, hysteresis: 0.5 },
  },
  enabled: true,
  origin: 'api',
  updatedBy: 'lin.engineer',
  updatedAt: '2026-11-20T03:00:00.000Z',
};

export const WORK_ITEM_EXAMPLE = {
  id: 12,
  taskId: 'chiller-1-filters',
  taskName: 'Chiller 1: clean the filters',
  site: 'demo-city-hall',
  asset: 'chiller-1',
  dueOn: '2026-12-05',
  state: 'open',
  dueAtRunHours: null,
  completedAt: null,
  completedBy: null,
  note: null,
};

export const CONTACT_EXAMPLE = {
  id: 'crew-teams',
  name: 'Maintenance crew (Teams)',
  channel: 'chat',
  address: 'https://example.webhook.office.com/…a1b2',
  signed: false,
  sites: ['demo-city-hall'],
  lang: 'zh-TW',
};
