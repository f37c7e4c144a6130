import { z } from 'zod';
import { RouteReturns } from './returns.decorator';

/** @nestjs/terminus's report: each connection's status (and, for /health/details, what it knows). */
const healthReport = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: z.record(z.object({ status: z.string() }).passthrough()).optional(),
  error: z.record(z.object({ status: z.string() }).passthrough()).optional(),
  details: z.record(z.object({ status: z.string() }).passthrough()),
});

const HEALTH_EXAMPLE = {
  status: 'ok',
  info: { database: { status: 'up' }, redis: { status: 'up' } },
  error: {},
  details: { database: { status: 'up' }, redis: { status: 'up' } },
};

/**
 * The answers of the routes every Hallwatch process serves from libs/core (health, metrics), which
 * cannot carry the api's @Returns: keyed by `Controller.method`. A 503 of /health is the same report
 * with status `error`, not a problem: orchestrators and monitors read it.
 */
export const OPERATIONS_RETURNS: Record<string, RouteReturns> = {
  'HealthController.check': {
    schema: healthReport,
    example: HEALTH_EXAMPLE,
    errors: [503],
    errorBodies: { 503: healthReport },
    description: 'Every connection is up',
  },
  'HealthController.live': {
    schema: z.object({ status: z.literal('ok'), uptimeSeconds: z.number().int() }),
    example: { status: 'ok', uptimeSeconds: 3605 },
    description: 'This process answers (liveness)',
  },
  'HealthController.details': {
    schema: healthReport,
    errors: [503],
    errorBodies: { 503: healthReport },
    description: "Each connection's details",
  },
  'MetricsController.scrape': { schema: null, contentType: 'text/plain; version=0.0.4', description: 'Prometheus exposition format' },
};
