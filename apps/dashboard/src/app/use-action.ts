import { useState } from 'preact/hooks';
import { ApiError, UnauthorisedError } from '../api/api-client';
import { useSession } from './contexts';

export interface Action {
  busy: boolean;
  /** The server's message when the last action failed. */
  problem: string | null;
  /** Runs `action`; true when it succeeded. A refused token ends the session. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
}

/** One change at a time through the API, with its failure shown where it was asked for. */
export function useAction(): Action {
  const { unauthorised } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      return true;
    } catch (error) {
      if (error instanceof UnauthorisedError) unauthorised();
      else setProblem(error instanceof ApiError ? error.message : String(error));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}

/** '*' or comma-separated site keys, as typed into a field. */
export function parseSites(text: string): '*' | string[] {
  const keys = text
    .split(/[\s,]+/)
    .map((key) => key.trim())
    .filter(Boolean);
  return keys.length === 0 || keys.includes('*') ? '*' : keys;
}

export function sitesText(sites: '*' | string[]): string {
  return sites === '*' ? '*' : sites.join(', ');
}
