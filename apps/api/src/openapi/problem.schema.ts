import { z } from 'zod';
import { PROBLEM_TYPE_PREFIX, problemDetails, ProblemDetails } from '@hallwatch/core';

const PROBLEM_TYPE = new RegExp(`^${PROBLEM_TYPE_PREFIX}[a-z0-9-]+$`);

/** The RFC 9457 problem every error answer is (libs/core/src/problem-details.ts builds them). */
export const problemSchema = z
  .object({
    type: z.string().regex(PROBLEM_TYPE).describe('urn:hallwatch:problem:<code>, e.g. urn:hallwatch:problem:not-found'),
    title: z.string().describe('the same for every problem of a type'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('what went wrong with this request'),
    instance: z.string().optional().describe('the path of the request'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('each refused field of a validation problem (400)'),
    errorId: z.string().optional().describe('on a 500: the id the log holds the error under'),
  })
  .describe('RFC 9457 problem details');

const EXAMPLES: Record<number, ProblemDetails> = {
  400: problemDetails(400, 'invalid-input', 'limit: Number must be less than or equal to 1000', {
    instance: '/api/v1/alerts',
    errors: [{ field: 'limit', message: 'Number must be less than or equal to 1000' }],
  }),
  401: problemDetails(401, 'unauthorised', 'A valid bearer token is required', { instance: '/api/v1/sites' }),
  403: problemDetails(403, 'forbidden', 'This token is not scoped to site east-hall', { instance: '/api/v1/sites/east-hall' }),
  404: problemDetails(404, 'not-found', 'No site nowhere', { instance: '/api/v1/sites/nowhere' }),
  409: problemDetails(409, 'conflict', 'The alert is resolved already', { instance: '/api/v1/alerts/7/ack' }),
  413: problemDetails(413, 'payload-too-large', 'the body is larger than 102400 bytes', { instance: '/api/v1/sites/demo' }),
  429: problemDetails(429, 'too-many-requests', 'Too many attempts; try again in 42 s', { instance: '/api/v1/auth/sign-in' }),
  500: problemDetails(500, 'internal', 'Internal error', { instance: '/api/v1/sites', errorId: '0b9c3c1e-4f2a-4a57-9d0e-5d1e2f3a4b5c' }),
  502: problemDetails(502, 'unavailable', 'The OPC UA server did not answer', { instance: '/api/v1/opcua/browse' }),
  503: problemDetails(503, 'audit-unavailable', 'The audit log cannot be written; nothing was changed', { instance: '/api/v1/users' }),
};

export const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'The path, query or body is not valid: `errors` names each field',
  401: 'No valid bearer token',
  403: "The token's role or sites do not allow this",
  404: 'What the path names does not exist',
  409: 'The change conflicts with the current state',
  413: 'The body is larger than 100 KiB',
  429: 'Too many requests; `Retry-After` says when to try again',
  500: 'An unexpected error; `errorId` is in the log',
  502: 'A device or service the request depends on did not answer',
  503: 'A dependency is down (e.g. the audit log cannot be written, so nothing was changed)',
};

export function problemExample(status: number): ProblemDetails {
  return EXAMPLES[status] ?? problemDetails(status, `http-${status}`, `HTTP ${status}`);
}
