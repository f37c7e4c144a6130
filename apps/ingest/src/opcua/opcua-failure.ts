/** Why a connection attempt failed, in an operator's words, with node-opcua's own message for the detail. */
export function connectionFailure(error: unknown): string {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const cause = CAUSES.find(([pattern]) => pattern.test(message))?.[1];
  return cause ? `${cause} (${message})` : message;
}

const CAUSES: ReadonlyArray<[RegExp, string]> = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'unknown host'],
  [/ETIMEDOUT|timeout/i, 'no answer (timed out)'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/ECONNRESET/, 'connection reset by the server'],
  [/premature disconnection|socket has been disconnected/i, 'the server closed the connection'],
  [/BadCertificate|certificate .*(untrusted|invalid|revoked|expired|rejected)/i, 'certificate refused'],
  [/BadIdentityToken|BadUserAccessDenied/, 'user refused'],
  [/BadSecurity/, 'security settings refused'],
];

/** node-opcua wraps the cause in sentences over several lines (`... Err = (cause)`, `... (err =cause)`): the cause, else the first line. */
function firstLine(message: string): string {
  const wrapped = /Err = \((.*)\)|\(err =(.*)\)/s
    .exec(message)
    ?.slice(1)
    .find((cause) => cause !== undefined);
  return (
    (wrapped ?? message)
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? 'unknown error'
  );
}

/** `work`, or undefined once `ms` have passed: a close that a vanished server never answers must not hold up a stop. */
export async function bounded<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
