/**
 * RFC 9457 problem details: the one shape of every error answer, REST and socket acknowledgements
 * alike. `type` names the kind of problem (`urn:hallwatch:problem:<code>`, the same codes as
 * DomainError's), `detail` says what went wrong with this request, `errors` lists each refused field.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** Dotted path of the field in the query, body or path (`(body)` for the whole body). */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** On a 500: the id the log holds the error under. */
  errorId?: string;
}

const TITLES: Record<string, string> = {
  'invalid-input': 'Invalid input',
  unauthorised: 'Unauthorised',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'too-many-requests': 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Unavailable',
  'audit-unavailable': 'Audit log unavailable',
};

/** The code of an HTTP status that carries no code of its own. */
const STATUS_CODES: Record<number, string> = {
  400: 'invalid-input',
  401: 'unauthorised',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
};

export const PROBLEM_TYPE_PREFIX = 'urn:hallwatch:problem:';

export function codeOfStatus(status: number): string {
  return STATUS_CODES[status] ?? `http-${status}`;
}

export function problemDetails(
  status: number,
  code: string,
  detail: string,
  extras: { instance?: string; errors?: FieldError[]; errorId?: string } = {},
): ProblemDetails {
  const problem: ProblemDetails = {
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title: TITLES[code] ?? code.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase()),
    status,
    detail,
  };
  if (extras.instance !== undefined) problem.instance = extras.instance;
  if (extras.errors !== undefined) problem.errors = extras.errors;
  if (extras.errorId !== undefined) problem.errorId = extras.errorId;
  return problem;
}

/** Writes a problem as the answer (Express's response). */
export function sendProblem(
  response: { status(code: number): unknown; type(contentType: string): unknown; send(body: string): unknown },
  problem: ProblemDetails,
): void {
  response.status(problem.status);
  response.type(PROBLEM_CONTENT_TYPE);
  response.send(JSON.stringify(problem));
}
