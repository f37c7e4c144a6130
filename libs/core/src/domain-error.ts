export const ERROR_CODES = ['not-found', 'invalid-input', 'conflict', 'unauthorised', 'forbidden', 'unavailable'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error the caller can act on; mapped to an HTTP status once, by the exception filter. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
