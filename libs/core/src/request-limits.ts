import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { JSON_LIMITS, jsonLimitProblem } from './bounded-json';
import { problemDetails, sendProblem } from './problem-details';

/** The largest request body the API reads, after decompression. */
export const MAX_BODY_BYTES = 100 * 1024;

/** A problem found while reading a request, before any guard, interceptor or handler saw it. */
export class RequestProblem extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request's body and parameters, bounded and checked before anything else touches them: JSON
 * is scanned without recursion for its depth, entries and keys before JSON.parse, bodies are at
 * most 100 KiB, and text PostgreSQL cannot store (NUL; in JSON also an unpaired surrogate, which
 * jsonb refuses) is refused. Refusals are a 400, 413 or 415 problem like every other error:
 * `{ error, message }`.
 *
 * Mounted in place of Nest's own body parsers (it skips those named jsonParser and urlencodedParser).
 */
export function requestLimits(): Array<
  RequestHandler | ((error: unknown, request: Request, response: Response, next: NextFunction) => void)
> {
  return [
    express.json({ limit: MAX_BODY_BYTES, verify: refuseUnboundedJson }),
    express.urlencoded({ extended: true, limit: MAX_BODY_BYTES, parameterLimit: 1_000 }),
    refuseNul,
    answerRequestProblem,
  ];
}

function refuseUnboundedJson(_request: unknown, _response: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8') throw new RequestProblem(415, 'unsupported-media-type', 'JSON bodies are read as UTF-8 only');
  const problem = jsonLimitProblem(body.toString('utf8'), JSON_LIMITS);
  if (!problem) return;
  throw new RequestProblem(problem.reason === 'payload-too-large' ? 413 : 400, problem.reason, `body: ${problem.detail}`);
}

function refuseNul(request: Request, _response: Response, next: NextFunction): void {
  // Any %00 in the path or query decodes to NUL in some parameter.
  if (/%00|\0/i.test(request.originalUrl)) return next(new RequestProblem(400, 'invalid-input', 'the path or query holds a NUL character'));
  if (holdsUnstorableText(request.body)) {
    return next(new RequestProblem(400, 'invalid-input', 'body: a text or key holds a NUL character or an unpaired surrogate'));
  }
  next();
}

const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Walks a parsed body (already bounded in depth and entries) without recursion. */
function holdsUnstorableText(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return true;
    } else if (Array.isArray(value)) {
      pending.push(...(value as unknown[]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/**
 * Body-parser's errors carry a 4xx status and a type (ours, thrown from `verify`, stay
 * RequestProblems). Without this, Express answered them itself (a 413 became Nest's 404).
 */
const PARSER_PROBLEMS: Record<string, string> = {
  'entity.parse.failed': 'not valid JSON',
  'entity.verify.failed': 'refused',
  'request.aborted': 'the client stopped sending it',
  'request.size.invalid': 'its length is not what Content-Length said',
  'encoding.unsupported': 'unsupported Content-Encoding',
  'charset.unsupported': 'unsupported charset',
  'parameters.too.many': 'too many form fields',
};

function answerRequestProblem(error: unknown, request: Request, response: Response, next: NextFunction): void {
  const instance = request.originalUrl.split('?')[0];
  if (error instanceof RequestProblem) {
    sendProblem(response, problemDetails(error.status, error.code, error.message, { instance }));
    return;
  }
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
    const code = status === 413 ? 'payload-too-large' : status === 415 ? 'unsupported-media-type' : 'invalid-input';
    const message = status === 413 ? `the body is larger than ${MAX_BODY_BYTES} bytes` : `body: ${PARSER_PROBLEMS[type] ?? type}`;
    sendProblem(response, problemDetails(status, code, message, { instance }));
    return;
  }
  next(error);
}
