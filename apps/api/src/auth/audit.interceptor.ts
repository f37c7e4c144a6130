import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
  ServiceUnavailableException,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, mergeMap, Observable, throwError } from 'rxjs';
import { AuditEntry, AuditRepository, AuthenticatedRequest } from '@hallwatch/auth';
import { clip, DomainError } from '@hallwatch/core';

const NO_AUDIT = 'hallwatch:no-audit';
/** The route writes its own audit entries (sign-in: success and failure, never the password). */
export const NoAudit = () => SetMetadata(NO_AUDIT, true);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * No change without its audit entry. Before the handler runs, the entry (who, what, on what, the
 * body without secrets, from where) is written with `outcome: 'pending'`; if that write fails the
 * handler never runs and the client gets 503. Once the handler is done the entry gets its outcome,
 * 'ok' or 'failed'. An entry left 'pending' (the outcome could not be written, or the process
 * died) means the change was attempted and may have happened.
 *
 * This is simpler than one transaction around the change and its entry: the handlers write
 * through many repositories, Redis and job queues, which no single transaction spans.
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
    const entry: AuditEntry = {
      actor: request.principal?.name ?? 'anonymous',
      action: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
      target: Object.values(params).join('/') || null,
      detail: { params: redact(params), query: redact(request.query), body: redact(request.body) },
      ip: request.ip ?? null,
    };
    // next.handle() is cold: the handler runs only once the pending entry is written.
    return from(this.begin(entry)).pipe(
      mergeMap((id) =>
        next.handle().pipe(
          concatMap(async (value: unknown) => {
            await this.complete(id, entry, { outcome: 'ok' });
            return value;
          }),
          catchError((error: unknown) =>
            from(this.complete(id, entry, { outcome: 'failed', error: errorOf(error) })).pipe(mergeMap(() => throwError(() => error))),
          ),
        ),
      ),
    );
  }

  private async begin(entry: AuditEntry): Promise<number> {
    try {
      return await this.audit.begin(entry);
    } catch (error) {
      this.logger.error({ err: error, action: entry.action, actor: entry.actor }, 'could not write the audit log: change refused');
      throw new ServiceUnavailableException({
        error: 'audit-unavailable',
        message: 'The audit log cannot be written; nothing was changed',
      });
    }
  }

  /** The change is made (or failed) already: a failure here leaves the entry 'pending' and is logged. */
  private async complete(id: number, entry: AuditEntry, outcome: Record<string, unknown>): Promise<void> {
    try {
      await this.audit.complete(id, outcome);
    } catch (error) {
      this.logger.error(
        { err: error, auditId: id, action: entry.action, actor: entry.actor, ...outcome },
        'could not record the outcome of a change',
      );
    }
  }
}

const SECRET_KEY = /password|secret|token|credential/i;
const MAX_DEPTH = 8;
const MAX_NODES = 2_000;
const MAX_TEXT_CHARS = 1_000;
const MAX_BODY_CHARS = 8_000;

/**
 * A value as the audit log records it: secrets replaced, at most 8 levels and 2,000 values, texts
 * clipped and storable in jsonb; what is still over 8,000 characters of JSON is
 * reduced to its keys. Bounded whatever it is given, so it cannot overflow the stack.
 */
export function redact(value: unknown): unknown {
  let nodes = 0;
  const clean = (inner: unknown, depth: number): unknown => {
    if (++nodes > MAX_NODES) return '[…]';
    if (typeof inner === 'string') return storable(inner, MAX_TEXT_CHARS);
    if (typeof inner !== 'object' || inner === null) return typeof inner === 'bigint' ? String(inner) : inner;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (Array.isArray(inner)) return inner.slice(0, MAX_NODES).map((item) => clean(item, depth + 1));
    return Object.fromEntries(
      Object.entries(inner)
        .slice(0, MAX_NODES)
        .map(([key, item]) => [storable(key, 100), SECRET_KEY.test(key) ? '[redacted]' : clean(item, depth + 1)]),
    );
  };
  const cleaned = clean(value, 0) ?? null;
  if (JSON.stringify(cleaned).length <= MAX_BODY_CHARS) return cleaned;
  return { truncated: true, keys: typeof cleaned === 'object' && cleaned !== null ? Object.keys(cleaned).slice(0, 100) : [] };
}

/** Clipped, NUL escaped and unpaired surrogates replaced: jsonb holds neither. */
function storable(text: string, maxChars: number): string {
  return clip(text, maxChars).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function errorOf(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  if (error instanceof HttpException) return String(error.getStatus());
  return 'internal';
}
