import { CallHandler, ExecutionContext, HttpException, Injectable, Logger, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, mergeMap, Observable, throwError } from 'rxjs';
import { AuditEntry, AuditRepository, AuthenticatedRequest } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';

const NO_AUDIT = 'hallwatch:no-audit';
/** The route writes its own audit entries (sign-in: success and failure, never the password). */
export const NoAudit = () => SetMetadata(NO_AUDIT, true);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SECRET_KEY = /password|secret|token|credential/i;
const MAX_BODY_CHARS = 8_000;

/**
 * Every change through the API lands in the audit log: who (the principal), what (method and
 * route pattern), on what (path parameters), the body without secrets, the outcome, and from
 * where. Written before the answer goes out, so an answered change is always on record.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly audit: AuditRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!MUTATING.has(request.method) || this.reflector.getAllAndOverride<boolean>(NO_AUDIT, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const params = { ...(request.params as Record<string, string>) };
    const entry = (outcome: Record<string, unknown>): AuditEntry => ({
      actor: request.principal?.name ?? 'anonymous',
      action: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
      target: Object.values(params).join('/') || null,
      detail: { params, query: request.query, body: redact(request.body), ...outcome },
      ip: request.ip ?? null,
    });
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await this.write(entry({ outcome: 'ok' }));
        return value;
      }),
      catchError((error: unknown) =>
        from(this.write(entry({ outcome: 'failed', error: errorOf(error) }))).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }

  private async write(entry: AuditEntry): Promise<void> {
    try {
      await this.audit.record(entry);
    } catch (error) {
      this.logger.error({ err: error, action: entry.action, actor: entry.actor }, 'could not write the audit log');
    }
  }
}

/** The body as recorded: secrets replaced, very large bodies reduced to their keys. */
export function redact(body: unknown): unknown {
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : clean(inner)]));
  };
  const cleaned = clean(body);
  if (JSON.stringify(cleaned ?? null).length <= MAX_BODY_CHARS) return cleaned ?? null;
  return { truncated: true, keys: typeof cleaned === 'object' && cleaned !== null ? Object.keys(cleaned) : [] };
}

function errorOf(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  if (error instanceof HttpException) return String(error.getStatus());
  return 'internal';
}
