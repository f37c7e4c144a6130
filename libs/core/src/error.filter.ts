import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isValueRefusedByDatabase } from './database-refusal';
import { DomainError, ErrorCode } from './domain-error';

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
 * Domain errors become their status, values the database refused a 400; anything unexpected is a
 * 500 with an errorId that is also logged.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      response.status(STATUS[error.code]).json({ error: error.code, message: error.message, ...error.details });
      return;
    }
    if (error instanceof HttpException) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const errorId = randomUUID();
    if (isValueRefusedByDatabase(error)) {
      this.logger.warn({ errorId, err: error }, 'the database refused a value of the request');
      response
        .status(HttpStatus.BAD_REQUEST)
        .json({ error: 'invalid-input', message: 'A value of the request is out of range or malformed', errorId });
      return;
    }
    this.logger.error({ errorId, err: error }, 'unhandled error');
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'internal', message: 'Internal error', errorId });
  }
}
