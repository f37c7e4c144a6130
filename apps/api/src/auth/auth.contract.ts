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

export const ME_EXAMPLE = {
  name: 'lin.engineer',
  role: 'engineer',
  sites: ['demo-city-hall'],
  kind: 'session',
  expiresAt: '2026-12-02T10:00:00.000Z',
};

export const SIGN_IN_EXAMPLE = {
  token: 'Zq3…(43 characters)',
  tokenType: 'Bearer',
  expiresAt: '2026-12-02T10:00:00.000Z',
  user: USER_EXAMPLE,
};

export const TOKEN_EXAMPLE = {
  id: 7,
  name: 'bms-gateway',
  kind: 'api',
  user: null,
  role: 'viewer',
  sites: ['demo-city-hall'],
  createdBy: 'admin',
  createdAt: '2026-11-02T01:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
};

export const AUDIT_EXAMPLE = {
  id: 311,
  at: '2026-12-01T02:16:04.000Z',
  actor: 'lin.engineer',
  action: 'POST /api/v1/alerts/:id/ack',
  target: '42',
  detail: { outcome: 'ok', params: { id: '42' } },
  ip: '10.0.4.17',
};
