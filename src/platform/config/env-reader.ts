// Reading settings from the environment, for every part that owns some: the platform's pieces and
// each module. A bad value throws a ConfigError whose message is one line naming the variable;
// main.ts prints only that line and stops.
import { secretWeakness } from '../secret-strength.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** NODE_ENV=production: stricter defaults, and secrets that must be given. */
  readonly production: boolean;
  /** The trimmed value, or null when unset or blank. */
  text(name: string): string | null;
  /** The value exactly as given (a password may start with a space), or null when unset. */
  raw(name: string): string | null;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  number(name: string, fallback: number, min: number, max: number): number;
  integer(name: string, fallback: number, min: number, max: number): number;
  /**
   * A secret of at least 32 characters, or null when unset. In production (or `always`) it must
   * not look guessable either.
   */
  secret(name: string, strength?: { always: boolean }): string | null;
  email(name: string): string | null;
}

export function envReader(env: Env, production: boolean): EnvReader {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  const number = (name: string, fallback: number, min: number, max: number) => {
    const value = text(name);
    if (value === null) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new ConfigError(`${name} must be a number from ${min} to ${max} (got "${value}")`);
    }
    return parsed;
  };
  return {
    production,
    text,
    raw: (name) => env[name] ?? null,
    number,
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = text(name);
      if (value === null) return fallback;
      if (!allowed.includes(value as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return value as T;
    },
    integer(name, fallback, min, max) {
      const value = number(name, fallback, min, max);
      if (!Number.isInteger(value)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${env[name]}")`);
      return value;
    },
    secret(name, { always } = { always: false }) {
      const value = text(name);
      if (value === null) return null;
      if (value.length < 32) throw new ConfigError(`${name} must be at least 32 characters long`);
      // Development may use any long value; production refuses what someone could guess.
      const weakness = production || always ? secretWeakness(value) : null;
      if (weakness) throw new ConfigError(`${name} ${weakness}; generate one with: openssl rand -base64 48`);
      return value;
    },
    email(name) {
      const value = text(name)?.toLowerCase() ?? null;
      if (value !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new ConfigError(`${name} must be an email address`);
      return value;
    },
  };
}
