/**
 * What the latency, fan-out and query benchmarks share: percentiles, waiting for a built process
 * to answer /health, reading its /metrics, and a publisher that keeps a fixed rate.
 */
import { cpus, loadavg } from 'node:os';
import { MqttClient } from 'mqtt';
import type { SiteDefinition } from '@hallwatch/registry';

/** p-th percentile (0..100) of the values, nearest rank; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50, p95, p99 and max of latencies in ms, rounded to 0.1 ms. */
export function summary(values: readonly number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitHealthy(port: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`the process on port ${port} did not become healthy in ${timeoutMs} ms`);
}

/** Sum of a Prometheus metric (over all its label sets) from a process's /metrics. */
export async function metric(port: string, token: string, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

export const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Publishes `rate` messages a second for `seconds` with QoS 1, in ticks of 10 ms, without waiting
 * for acknowledgements in between (a device does not either); `make(i, sentAt)` builds message i.
 * Resolves when every message is acknowledged, with how many were sent and how far the ticks fell
 * behind the schedule at worst (the publisher itself not keeping the rate).
 */
export async function publishAtRate(
  client: MqttClient,
  rate: number,
  seconds: number,
  make: (i: number, sentAt: number) => { topic: string; payload: string },
): Promise<{ sent: number; worstLagMs: number }> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const acks: Array<Promise<unknown>> = [];
  let sent = 0;
  let worstLagMs = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * rate) + 1);
    worstLagMs = Math.max(worstLagMs, ((due - sent - 1) / rate) * 1000);
    for (; sent < due; sent++) {
      const message = make(sent, performance.now());
      acks.push(client.publishAsync(message.topic, message.payload, { qos: 1 }));
    }
    await sleep(10);
  }
  await Promise.all(acks);
  return { sent, worstLagMs: Math.round(worstLagMs) };
}

/** The machine's 1-minute load average against its cores: other work running shows here. */
export function machineLoad(): string {
  return `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
}

/** The benchmark building: meters `meter-0`, `meter-1`, … with gauge points `p0`, `p1`, … as many as each count says. */
export function benchSite(pointsPerMeter: readonly number[], key = 'bench-hall'): SiteDefinition {
  return {
    key,
    name: 'Benchmark hall',
    timezone: 'Asia/Taipei',
    attributes: {},
    opcua: [],
    assets: pointsPerMeter.map((points, a) => ({
      key: `meter-${a}`,
      name: `Meter ${a}`,
      type: 'electricity-meter',
      tags: [],
      attributes: {},
      points: Array.from({ length: points }, (_, p) => ({ key: `p${p}`, kind: 'gauge' as const, unit: 'kW', tags: [], attributes: {} })),
    })),
  };
}
