// Clients keep one address whatever the topology: this process answers the public routes of a module
// it does not host by forwarding them to the module's instances (REMOTE_MODULES), and can send a
// share of a module it does host to remote instances (a canary). Only public prefixes are ever
// forwarded: /internal routes are for processes that hold a service token, not for the world.
// The forwarding itself is @fastify/http-proxy's (forwarding-routes.ts).
import type { FastifyInstance } from 'fastify';
import { installCanarySplit } from './canary-split.js';
import type { RemoteModuleTarget } from './forward-to-remote.js';
import { registerForwardingRoutes } from './forwarding-routes.js';
import { UpstreamPool } from './upstream-pool.js';

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;

export interface RemoteModuleProxyOptions {
  /** Module name, used in problem details and logs ("The users module is unavailable"). */
  module: string;
  /** Public URL prefixes of the module, e.g. ['/api/v1/users', '/api/v1/auth']. */
  prefixes: readonly string[];
  /** Base URLs of the module's instances (origins only, e.g. 'http://users.internal:3000'). */
  urls: readonly string[];
  /**
   * When the module is also hosted here: the percentage (0-100) of its requests sent to the remote
   * instances; null sends none. Ignored when it is not hosted here (then all requests are remote).
   */
  weight: number | null;
  hostedLocally: boolean;
  /** How long an instance that failed is left out (default 10 s). */
  cooldownMs?: number;
  /** Longest wait for an instance's response headers, and between body chunks (default 10 s). */
  timeoutMs?: number;
  /** Canary dice, uniform in [0, 1) (default Math.random). */
  random?: () => number;
  /** Clock for the cooldown (default Date.now). */
  now?: () => number;
}

/**
 * Call it before the module's local routes are registered when it is hosted here too (see
 * installCanarySplit); otherwise order does not matter.
 */
export async function registerRemoteModuleProxy(server: FastifyInstance, options: RemoteModuleProxyOptions): Promise<void> {
  const prefixes = options.prefixes.map((prefix) => publicPrefix(options.module, prefix));
  const urls = options.urls.map((url) => instanceOrigin(options.module, url));
  if (options.hostedLocally && options.weight !== null) checkWeight(options.module, options.weight);
  if (options.hostedLocally && (options.weight === null || options.weight === 0)) return;

  const target: RemoteModuleTarget = {
    module: options.module,
    prefixes,
    pool: new UpstreamPool(urls, {
      ...(options.cooldownMs !== undefined ? { cooldownMs: options.cooldownMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
    timeoutMs: options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
  };

  const constraints = options.hostedLocally
    ? installCanarySplit(server, { prefixes, target, weight: options.weight ?? 0, random: options.random ?? Math.random })
    : {};
  await registerForwardingRoutes(server, target, constraints);
}

// A prefix is a path without a trailing slash, and never an internal one: forwarding /internal
// would let anyone on the internet reach routes meant for other processes of the deployment.
function publicPrefix(module: string, prefix: string): string {
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) {
    throw new Error(`Remote module ${module}: route prefix "${prefix}" must start with / and not end with /`);
  }
  if (prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`Remote module ${module}: route prefix "${prefix}" must not have . or .. segments`);
  }
  if (prefix === '/internal' || prefix.startsWith('/internal/')) {
    throw new Error(`Remote module ${module}: internal routes are never forwarded ("${prefix}")`);
  }
  return prefix;
}

// reply-from joins the request path onto the instance's origin; a base path would be dropped
// silently, so refuse it rather than forward to the wrong place.
function instanceOrigin(module: string, url: string): string {
  const parsed = new URL(url);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.pathname !== '/' || parsed.search) {
    throw new Error(`Remote module ${module}: instance URL "${url}" must be http(s)://host[:port] with no path`);
  }
  return parsed.origin;
}

function checkWeight(module: string, weight: number): void {
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new Error(`Remote module ${module}: weight must be 0 to 100 (got ${weight})`);
  }
}
