import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { socketIoKey } from './live-events';

/** socket.io over the Redis adapter: every api instance delivers what any process emits. */
export class RedisIoAdapter extends IoAdapter {
  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    const redis = this.app.get(RedisService);
    const key = socketIoKey(this.app.get(AppConfig).get('REDIS_PREFIX'));
    server.adapter(createAdapter(redis.duplicate(), redis.duplicate(), { key }));
    return server;
  }
}
