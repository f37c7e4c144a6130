import { configSchema, ConfigValues, SECRET_KEYS } from './config.schema';

export class ConfigError extends Error {}

/**
 * The validated configuration, injected wherever a setting is needed. Nothing else reads
 * `process.env`.
 */
export class AppConfig {
  private constructor(readonly values: Readonly<ConfigValues>) {}

  static from(env: Record<string, string | undefined>): AppConfig {
    const result = configSchema.safeParse(env);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
    }
    return new AppConfig(Object.freeze(result.data));
  }

  static fromProcessEnv(overrides: Record<string, string> = {}): AppConfig {
    return AppConfig.from({ ...process.env, ...overrides });
  }

  get<K extends keyof ConfigValues>(key: K): ConfigValues[K] {
    return this.values[key];
  }

  /** The configuration as it may be logged: secrets replaced. */
  redacted(): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...this.values };
    for (const key of SECRET_KEYS) if (copy[key] !== undefined) copy[key] = '[redacted]';
    return copy;
  }
}
