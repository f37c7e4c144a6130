import express, { NextFunction, Request, Response } from 'express';
import { problemDetails, sendProblem } from '@hallwatch/core';
import { MAX_ZINC_REQUEST_CHARS } from './zinc-request';

/** UTF-8 can take four bytes a character. */
const MAX_HAYSTACK_BODY_BYTES = MAX_ZINC_REQUEST_CHARS * 4;
const readText = express.text({ type: ['text/zinc', 'application/vnd.haystack+json'], limit: MAX_HAYSTACK_BODY_BYTES });

/**
 * The app parses JSON bodies; request grids in the Haystack media types (text/zinc,
 * application/vnd.haystack+json) are kept as text here for HaystackBodyPipe. Module middleware
 * runs after the app's error handlers, so a body it refuses is answered here, as a problem.
 */
export function haystackBodyParser(request: Request, response: Response, next: NextFunction): void {
  readText(request, response, (error?: unknown) => {
    if (error === undefined || error === null) return next();
    const status = (error as { status?: unknown }).status;
    const instance = request.originalUrl.split('?')[0];
    if (status === 413) {
      sendProblem(
        response,
        problemDetails(413, 'payload-too-large', `a request grid is at most ${MAX_HAYSTACK_BODY_BYTES} bytes`, { instance }),
      );
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      sendProblem(response, problemDetails(status, 'invalid-input', `body: ${(error as Error).message}`, { instance }));
    } else {
      next(error);
    }
  });
}
