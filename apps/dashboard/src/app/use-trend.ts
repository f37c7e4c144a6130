import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Bucket } from '@hallwatch/domain';
import { isAbort, UnauthorisedError, type ApiClient } from '../api/api-client';
import { sumBuckets } from '../domain/live-series';
import { uncertainCount } from '../domain/reading-quality';
import { rangeWindow, RAW_LIMIT } from '../domain/trend-range';
import { TrendModel, type LineHistory, type TrendLineSpec } from '../domain/trend-model';
import { useSession } from './contexts';

export interface TrendRequest {
  bucket: Bucket;
  spanMs: number;
  lines: readonly TrendLineSpec[];
}

export interface TrendState {
  model: TrendModel;
  /** The bucket actually shown: a raw range too dense for RAW_LIMIT is shown in 15-minute buckets. */
  bucket: Bucket;
  loading: boolean;
  error: Error | undefined;
  /** More rows than the API returns at once: the chart shows the first part. */
  truncated: boolean;
  /** Raw readings shown that the source marked uncertain. */
  uncertain: number;
}

/**
 * A chart's data: history from the API, then live readings from the store folded in once per
 * frame. Refetches after a resync (so a reconnected page catches up) and when the request changes.
 */
export function useTrend(request: TrendRequest): TrendState {
  const { api, site, store, resync, unauthorised } = useSession();
  const [fellBack, setFellBack] = useState(false);
  const requestKey = JSON.stringify([
    site.key,
    request.bucket,
    request.spanMs,
    request.lines.map((line) => [line.refs, line.label, line.tailLabel, line.color, line.shiftMs]),
  ]);
  useEffect(() => setFellBack(false), [requestKey]);

  const bucket: Bucket = fellBack && request.bucket === 'raw' ? '15m' : request.bucket;
  const model = useMemo(
    () => new TrendModel({ bucket, spanMs: request.spanMs, zone: site.timezone, lines: request.lines }),
    [requestKey, bucket, site.timezone],
  );
  const [status, setStatus] = useState<{ loading: boolean; error?: Error; truncated: boolean; uncertain?: number }>({
    loading: true,
    truncated: false,
  });

  useEffect(() => {
    const controller = new AbortController();
    setStatus({ loading: true, truncated: false });
    model.beginLoad();
    loadHistories(api, site.key, model, controller.signal).then(
      ({ histories, truncated, loadedUntil }) => {
        if (controller.signal.aborted) return;
        if (truncated && bucket === 'raw') {
          setFellBack(true);
          return;
        }
        model.load(histories, loadedUntil);
        setStatus({ loading: false, truncated, uncertain: uncertainCount(histories) });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        if (error instanceof UnauthorisedError) return unauthorised();
        setStatus({ loading: false, truncated: false, error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    const stopLive = store.subscribe((readings) => {
      if (readings.length > 0 && model.applyLive(readings, (asset, point) => store.get(asset, point))) {
        model.trim(Date.now());
        model.notify();
      }
    });
    return () => {
      controller.abort();
      stopLive();
    };
  }, [model, resync]);

  return { model, bucket, loading: status.loading, error: status.error, truncated: status.truncated, uncertain: status.uncertain ?? 0 };
}

async function loadHistories(api: ApiClient, siteKey: string, model: TrendModel, signal: AbortSignal) {
  const { bucket, spanMs, lines, zone } = model.spec;
  const now = Date.now();
  const { from, to } = rangeWindow(spanMs, bucket, now, zone);
  let truncated = false;
  const histories = await Promise.all(
    lines.map(async (line): Promise<LineHistory> => {
      const shift = line.shiftMs ?? 0;
      if (bucket === 'raw') {
        const results = await Promise.all(line.refs.map((ref) => api.raw(siteKey, ref, from - shift, to + 1 - shift, RAW_LIMIT, signal)));
        truncated ||= results.some((result) => result.truncated);
        // Raw readings of several points do not line up in time; a summed line is charted from buckets.
        return { bucket: 'raw', rows: (results[0]?.readings ?? []).map((row) => ({ ...row, ts: row.ts + shift })) };
      }
      const results = await Promise.all(line.refs.map((ref) => api.rollups(siteKey, ref, bucket, from - shift, to + 1 - shift, signal)));
      truncated ||= results.some((result) => result.truncated);
      const rows = results.length === 1 ? results[0].readings : sumBuckets(results.map((result) => result.readings));
      return { bucket, rows: shift ? rows.map((row) => ({ ...row, ts: row.ts + shift })) : rows };
    }),
  );
  return { histories, truncated, loadedUntil: to };
}
