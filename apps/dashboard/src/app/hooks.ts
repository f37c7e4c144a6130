import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { startOfQuarterHour } from '@hallwatch/domain';
import { isAbort, UnauthorisedError, type ApiClient, type PointAddress } from '../api/api-client';
import type { LatestValue, LiveStore } from '../live/live-store';
import { useSession } from './contexts';

/** Re-renders the caller once per animation frame in which live values changed. */
export function useLiveTick(store: LiveStore): number {
  const [tick, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((value) => value + 1)), [store]);
  return tick;
}

/** The current time, refreshed every `intervalMs`. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `deps` change (and on reload), cancelling the previous run. A refused token
 * ends the session; other failures are returned for the page to show.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], onUnauthorised: () => void): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        if (error instanceof UnauthorisedError) return onUnauthorised();
        setState((previous) => ({ data: previous.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((value) => value + 1), []);
  return { ...state, reload };
}

/** Meters report every 1-15 s: the last two minutes of raw readings hold a point's newest value. */
const SEED_RAW_MS = 2 * 60_000;
const SEED_RAW_LIMIT = 1_000;
/** A point that reports slower is read from its 15-minute rollups instead. */
const SEED_ROLLUP_MS = 30 * 60_000;

/**
 * Fills the live store with the newest values of `points` from the API, so a page shows values
 * at once instead of waiting for each point's next live reading; again after every resync, which
 * is how a page catches up on what arrived while its connection was down.
 */
export function useSeedLatest(points: readonly PointAddress[]): void {
  const { api, site, store, resync, unauthorised } = useSession();
  const key = points.map((point) => `${point.asset}/${point.point}`).join(',');
  useEffect(() => {
    const controller = new AbortController();
    for (const point of points) {
      newestValue(api, site.key, point, controller.signal).then(
        (newest) => {
          if (newest && !controller.signal.aborted) store.seed(point.asset, point.point, newest);
        },
        (error: unknown) => {
          if (error instanceof UnauthorisedError) unauthorised();
          // Anything else: the value waits for the live stream.
        },
      );
    }
    return () => controller.abort();
  }, [api, site.key, store, resync, key]);
}

async function newestValue(api: ApiClient, siteKey: string, point: PointAddress, signal: AbortSignal): Promise<LatestValue | undefined> {
  const now = Date.now();
  const raw = await api.raw(siteKey, point, now - SEED_RAW_MS, now + 1, SEED_RAW_LIMIT, signal);
  const last = raw.readings.at(-1);
  if (last && !raw.truncated)
    return last.quality === 'uncertain' ? { ts: last.ts, value: last.value, quality: 'uncertain' } : { ts: last.ts, value: last.value };
  const rollups = await api.rollups(siteKey, point, '15m', startOfQuarterHour(now - SEED_ROLLUP_MS), now + 1, signal);
  const bucket = rollups.readings.filter((row) => row.count > 0).at(-1);
  // A rollup knows its newest value but not when it came: stamped at the bucket start, any live
  // reading replaces it.
  return bucket && bucket.last !== null ? { ts: bucket.ts, value: bucket.last } : undefined;
}
