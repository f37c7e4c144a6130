import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';

export interface HealthProbe {
  name: string;
  /** Resolves with details when healthy; throws (or rejects) with the reason when not. */
  check(): Promise<Record<string, unknown>>;
}

/** Connections report here (database, Redis, MQTT broker, OPC UA endpoints...); /health reads them. */
@Injectable()
export class HealthRegistry {
  private readonly probes = new Map<string, HealthProbe>();

  register(probe: HealthProbe): void {
    this.probes.set(probe.name, probe);
  }

  indicators(): Array<() => Promise<HealthIndicatorResult>> {
    return [...this.probes.values()].map((probe) => async () => {
      try {
        return { [probe.name]: { status: 'up' as const, ...(await withTimeout(probe.check(), 2000)) } };
      } catch (error) {
        return { [probe.name]: { status: 'down' as const, error: (error as Error).message } };
      }
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
