import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Request, Response } from 'express';
import { Counter, Histogram } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { MetricsService } from './metrics.service';

/** Requests and their duration per route pattern (not per URL, so the label set stays small) and status. */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  private readonly requests: Counter<string>;
  private readonly seconds: Histogram<string>;

  constructor(metrics: MetricsService) {
    this.requests = metrics.counter({
      name: 'hallwatch_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
    });
    this.seconds = metrics.histogram({
      name: 'hallwatch_http_request_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    const stop = this.seconds.startTimer({ method: request.method, route });
    const record = () => {
      stop();
      this.requests.inc({ method: request.method, route, status: String(http.getResponse<Response>().statusCode) });
    };
    return next.handle().pipe(tap({ next: record, error: record }));
  }
}
