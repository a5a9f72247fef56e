// What the application makes of an environment: the configuration it loads (or the one line it
// refuses with) and every variable it asks for on the way. The names are found the way
// test/configuration-docs.test.ts finds them, by loading the configuration from an environment
// that records each name asked for, so a setting added anywhere is known here too.
import { loadConfig, type AppConfig } from '../../../src/config.js';
import { SAFE_PRODUCTION_ENV } from '../production-env.js';

export interface Configuration {
  config: AppConfig | null;
  /** The ConfigError (or other) message when loading refused the environment. */
  error: string | null;
  /** Every variable the configuration asked for, given this environment (hosted modules decide some). */
  read: Set<string>;
}

export function loadConfiguration(env: Record<string, string>): Configuration {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  try {
    return { config: loadConfig(recording), error: null, read };
  } catch (error) {
    return { config: null, error: (error as Error).message, read };
  }
}

/** Variables a deployment may set that Node itself reads, not the application's configuration. */
export const READ_BY_NODE = ['NODE_OPTIONS'];

/**
 * What stands in for a value the deployment does not hold (a Secret's key, a compose variable the
 * operator exports), so the rest of its environment can be loaded as production would load it.
 */
export const STAND_INS: Record<string, string> = {
  ...SAFE_PRODUCTION_ENV,
  DATABASE_URL: 'postgres://shop:stand-in@postgres:5432/shop',
  POSTGRES_PASSWORD: 'stand-in',
};

/**
 * Variables whose value is chosen by whoever deploys and never committed: the secrets, and the card
 * gateway (a committed `simulated` would take no money in production).
 */
export const OPERATOR_CHOSEN = ['DATABASE_URL', 'JWT_SECRET', 'SERVICE_TOKEN_SECRET', 'METRICS_TOKEN', 'ADMIN_PASSWORD', 'CARD_GATEWAY'];
