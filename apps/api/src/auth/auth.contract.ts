import { z } from 'zod';
import { attributes, isoDateTime, role, siteScope } from '../openapi/common.schema';

/** What the auth, users, tokens and audit routes answer. */

export const userView = z.object({
  name: z.string(),
  role,
  sites: siteScope,
  disabledAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const signInAnswer = z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresAt: isoDateTime, user: userView });

export const me = z.object({
  name: z.string(),
  role,
  sites: siteScope,
  kind: z.enum(['api', 'session']),
  expiresAt: isoDateTime.nullable(),
});

export const tokenView = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(['api', 'session']),
  user: z.string().nullable(),
  role,
  sites: siteScope,
  createdBy: z.string().nullable(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});

export const createdToken = tokenView.extend({ token: z.string().describe('shown this once; only its hash is kept') });

export const auditRecord = z.object({
  id: z.number().int(),
  at: isoDateTime,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: attributes,
  ip: z.string().nullable(),
});

export const USER_EXAMPLE = {
  name: 'lin.engineer',
  role: 'engineer',
  sites: ['demo-city-hall'],
  disabledAt: null,
  createdAt: '2026-11-02T01:00:00.000Z',
  updatedAt: '2026-11-02T01:00:00.000Z',
};
