import { INestApplication, Type } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Server } from 'node:http';
import { Test } from '@nestjs/testing';
import { AbstractLoader, ExpressLoader } from '@nestjs/serve-static';
import { configureApi } from '@hallwatch/api';
import { AppConfig } from '@hallwatch/config';
import { configureHttpApp } from '@hallwatch/core';
import { QUEUES } from '@hallwatch/jobs';

export interface RunningApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts a root module in-process exactly as its main.ts would, with the given environment. */
export async function startApp(rootModule: Type<unknown>, env: Record<string, string>, { api = true } = {}): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule({ imports: [rootModule] })
    .overrideProvider(AppConfig)
    .useValue(AppConfig.from(env))
    // serve-static picks its loader before a testing module has an HTTP adapter; name it.
    .overrideProvider(AbstractLoader)
    .useClass(ExpressLoader)
    .compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  configureHttpApp(app);
  if (api) configureApi(app);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Removes every job an app's queues hold (their keys are under the test's own Redis prefix). */
export async function obliterateQueues(running: RunningApp | undefined): Promise<void> {
  if (!running) return;
  for (const name of Object.values(QUEUES)) await running.app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
}
