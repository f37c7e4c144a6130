import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isValueRefusedByDatabase } from './database-refusal';
import { DomainError, ErrorCode } from './domain-error';
import { codeOfStatus, FieldError, problemDetails, ProblemDetails, sendProblem } from './problem-details';

const STATUS: Record<ErrorCode, number> = {
  'not-found': HttpStatus.NOT_FOUND,
  'invalid-input': HttpStatus.BAD_REQUEST,
  conflict: HttpStatus.CONFLICT,
  unauthorised: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  // a device or service the request depends on did not answer
  unavailable: HttpStatus.BAD_GATEWAY,
};

/**
 * Every error answer is an RFC 9457 problem (application/problem+json): domain errors become their
 * status, values the database refused a 400; anything unexpected is a 500 with an errorId that is
 * also logged. The one exception is the readiness report of GET /health, which keeps its own shape
 * on a 503 (orchestrators and monitors read it as a status report).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const instance = host.switchToHttp().getRequest<Request | undefined>()?.originalUrl?.split('?')[0];
    if (error instanceof DomainError) {
      const errors = error.details?.errors as FieldError[] | undefined;
      sendProblem(response, problemDetails(STATUS[error.code], error.code, error.message, { instance, errors }));
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      if (isHealthReport(body)) {
        response.status(error.getStatus()).json(body);
        return;
      }
      sendProblem(response, problemOfHttpException(error.getStatus(), body, instance));
      return;
    }
    const errorId = randomUUID();
    if (isValueRefusedByDatabase(error)) {
      this.logger.warn({ errorId, err: error }, 'the database refused a value of the request');
      sendProblem(
        response,
        problemDetails(HttpStatus.BAD_REQUEST, 'invalid-input', 'A value of the request is out of range or malformed', {
          instance,
          errorId,
        }),
      );
      return;
    }
    this.logger.error({ errorId, err: error }, 'unhandled error');
    sendProblem(response, problemDetails(HttpStatus.INTERNAL_SERVER_ERROR, 'internal', 'Internal error', { instance, errorId }));
  }
}

/**
 * Nest's own exceptions answer `{ statusCode, message, error }` (message a text or a list of texts);
 * ours `{ error: code, message }`; either becomes a problem with the code and the message as detail.
 */
function problemOfHttpException(status: number, body: string | object, instance: string | undefined): ProblemDetails {
  if (typeof body === 'string') return problemDetails(status, codeOfStatus(status), body, { instance });
  const { error, message } = body as { error?: unknown; message?: unknown };
  const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : `HTTP ${status}`;
  // Nest's own `error` is the status text ("Not Found"), not a code.
  const code = typeof error === 'string' && /^[a-z][a-z-]*$/.test(error) ? error : codeOfStatus(status);
  return problemDetails(status, code, detail, { instance });
}

/** @nestjs/terminus's report: `{ status, info, error, details }`. */
function isHealthReport(body: string | object): boolean {
  return typeof body === 'object' && 'details' in body && 'info' in body && typeof (body as { status?: unknown }).status === 'string';
}
