/**
 * Typed configuration from environment variables. Every problem is collected and reported at once,
 * naming the variable, so a misconfigured service says exactly what to fix before it starts.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface Setting<T> {
  read(env: NodeJS.ProcessEnv, problems: string[]): T;
}

type Shape = Record<string, Setting<unknown>>;
export type ConfigOf<S extends Shape> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function string(name: string, fallback?: string): Setting<string> {
  return {
    read(env, problems) {
      const value = raw(env, name) ?? fallback;
      if (value === undefined) problems.push(`${name} is required`);
      return value ?? '';
    },
  };
}

export function integer(name: string, fallback: number, range: { min: number; max: number }): Setting<number> {
  return {
    read(env, problems) {
      const text = raw(env, name);
      if (text === undefined) return fallback;
      const value = Number(text);
      if (!Number.isInteger(value) || value < range.min || value > range.max) {
        problems.push(`${name} must be an integer in ${range.min}..${range.max}, got "${text}"`);
        return fallback;
      }
      return value;
    },
  };
}

/** A comma-separated list of integers, e.g. CONSUMER_RETRY_DELAYS_MS=1000,5000,30000. */
export function integerList(name: string, fallback: number[], range: { min: number; max: number }): Setting<number[]> {
  return {
    read(env, problems) {
      const text = raw(env, name);
      if (text === undefined) return fallback;
      const values = text.split(',').map((part) => Number(part.trim()));
      if (values.some((value) => !Number.isInteger(value) || value < range.min || value > range.max)) {
        problems.push(`${name} must be comma-separated integers in ${range.min}..${range.max}, got "${text}"`);
        return fallback;
      }
      return values;
    },
  };
}

export function oneOf<const T extends string>(name: string, fallback: T, allowed: readonly T[]): Setting<T> {
  return {
    read(env, problems) {
      const text = raw(env, name) ?? fallback;
      if (!allowed.includes(text as T)) {
        problems.push(`${name} must be one of ${allowed.join(', ')}, got "${text}"`);
        return fallback;
      }
      return text as T;
    },
  };
}

export function boolean(name: string, fallback: boolean): Setting<boolean> {
  return {
    read(env, problems) {
      const text = raw(env, name);
      if (text === undefined) return fallback;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      problems.push(`${name} must be true or false, got "${text}"`);
      return fallback;
    },
  };
}

/**
 * A database URL such as mysql://user:password@127.0.0.1:3306/funshop_order or
 * postgres://user:password@127.0.0.1:5432/funshop_customer: the store is chosen per service.
 */
export function databaseUrl(name: string, fallback: string): Setting<URL> {
  return {
    read(env, problems) {
      const text = raw(env, name) ?? fallback;
      try {
        const url = new URL(text);
        if (!['mysql:', 'mariadb:', 'postgres:', 'postgresql:'].includes(url.protocol)) {
          problems.push(`${name} must be a mysql://, mariadb:// or postgres:// URL, got protocol "${url.protocol}"`);
        } else if (url.pathname.length <= 1) {
          problems.push(`${name} must name a database, e.g. mysql://user:password@127.0.0.1:3306/funshop_order`);
        }
        return url;
      } catch {
        // The value is not echoed: it may hold a password.
        problems.push(`${name} is not a valid URL (expected mysql://user:password@host:port/database)`);
        return new URL('mysql://invalid/invalid');
      }
    },
  };
}

export function loadConfig<S extends Shape>(shape: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(shape)) config[key] = setting.read(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ConfigOf<S>;
}
