// A compose file's services, and those that run the app seen as the processes they start: the
// image's environment, then the service's own, with stand-ins where compose reads the operator's
// environment (`${NAME:?message}`). Other services reach each one by its service name.
import { parse } from 'yaml';
import { loadConfiguration, STAND_INS } from './app-configuration.js';
import type { DeployedProcess } from './deployed-process.js';
import type { RuntimeStage } from './dockerfile.js';

export interface ComposeService {
  build?: { context?: string; dockerfile?: string } | string;
  image?: string;
  environment: Record<string, string>;
}

export function composeServices(text: string): Record<string, ComposeService> {
  const { services = {} } = parse(text) as { services?: Record<string, { environment?: Record<string, unknown> | string[] } & Omit<ComposeService, 'environment'>> };
  return Object.fromEntries(Object.entries(services).map(([name, service]) => [name, { ...service, environment: environmentOf(service.environment) }]));
}

/** The services built from docker/Dockerfile: the app's processes. */
export function appServices(services: Record<string, ComposeService>): string[] {
  return Object.keys(services).filter((name) => {
    const { build } = services[name]!;
    return typeof build === 'object' && /(^|\/)docker\/Dockerfile$/.test(build.dockerfile ?? '');
  });
}

export function composeProcesses(services: Record<string, ComposeService>, image: RuntimeStage): DeployedProcess[] {
  return appServices(services).map((name) => {
    const own = Object.fromEntries(Object.entries(services[name]!.environment).map(([key, value]) => [key, interpolate(value)]));
    const env = { ...image.env, ...own };
    const port = loadConfiguration(env).config?.port;
    return { name, env, sets: Object.keys(own), addresses: port === undefined ? [] : [`${name}:${port}`] };
  });
}

/** Compose's interpolation, with what the operator would export stood in for. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\}/g, (_reference, name: string) => STAND_INS[name] ?? 'stand-in');
}

function environmentOf(environment: Record<string, unknown> | string[] | undefined): Record<string, string> {
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => (entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [entry, ''])));
  }
  return Object.fromEntries(Object.entries(environment ?? {}).map(([key, value]) => [key, String(value)]));
}
