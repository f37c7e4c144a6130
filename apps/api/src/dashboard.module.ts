import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig } from '@hallwatch/config';

/** Serves the built dashboard (apps/dashboard/dist) at the root, when it has been built. */
@Module({})
export class DashboardModule {
  static register(): DynamicModule {
    return {
      module: DashboardModule,
      imports: [
        ServeStaticModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            const root = resolve(config.get('DASHBOARD_DIR'));
            return existsSync(root) ? [{ rootPath: root, exclude: ['/api/{*rest}', '/health', '/metrics'] }] : [];
          },
        }),
      ],
    };
  }
}
