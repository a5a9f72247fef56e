// Rules about what a deployment asks of the application, whatever describes it (Kubernetes
// manifests, a compose file): each process's environment loads in production and sets nothing the
// app does not read, each one reaches every module it needs at a process that hosts it, and the
// split follows tools/split-layout.ts. Each returns its problems, one line each; none means the
// rule holds.
import { ALL_MODULES } from '../../../src/module-registry.js';
import { resolveHostedModules } from '../../../src/platform/modules/resolve-modules.js';
import type { SplitProcess } from '../../../tools/split-layout.js';
import { loadConfiguration, READ_BY_NODE } from './app-configuration.js';
import type { DeployedProcess } from './deployed-process.js';

export function configurationProblems(deployed: DeployedProcess): string[] {
  const { config, error, read } = loadConfiguration(deployed.env);
  const problems = deployed.sets
    .filter((name) => !read.has(name) && !READ_BY_NODE.includes(name))
    .map((name) => `${deployed.name}: sets ${name}, which its configuration never reads`);
  if (config === null) return [...problems, `${deployed.name}: production would refuse to start: ${error}`];
  if (config.env !== 'production') problems.push(`${deployed.name}: runs with NODE_ENV=${config.env}, not production`);
  if (config.databaseUrl === null) problems.push(`${deployed.name}: no DATABASE_URL, so it would start an embedded PostgreSQL of its own`);
  return problems;
}

/**
 * Every module a hosted module needs is hosted or remote; each remote URL is the address of a
 * process hosting that module; and `entry`, where clients arrive, serves or forwards every module.
 */
export function remoteModuleProblems(processes: DeployedProcess[], entry: string): string[] {
  const configs = new Map(processes.map((deployed) => [deployed.name, loadConfiguration(deployed.env).config]));
  const listeningAt = (address: string) => processes.filter((deployed) => deployed.addresses.includes(address));
  const problems: string[] = [];
  for (const deployed of processes) {
    const config = configs.get(deployed.name);
    if (!config) continue; // configurationProblems says why
    try {
      resolveHostedModules(ALL_MODULES, config.modules, new Set(Object.keys(config.remoteModules)));
    } catch (error) {
      problems.push(`${deployed.name}: ${(error as Error).message}`);
    }
    for (const [module, { urls }] of Object.entries(config.remoteModules)) {
      for (const url of urls) {
        const { hostname, port, protocol } = new URL(url);
        const targets = listeningAt(`${hostname}:${port || (protocol === 'https:' ? 443 : 80)}`);
        if (targets.length === 0) problems.push(`${deployed.name}: REMOTE_MODULES sends ${module} to ${url}, where no process of this deployment listens`);
        for (const target of targets) {
          if (!configs.get(target.name)?.modules.includes(module)) problems.push(`${deployed.name}: REMOTE_MODULES sends ${module} to ${url}, but ${target.name} does not host ${module}`);
        }
      }
    }
  }
  const entryConfig = configs.get(entry);
  if (!entryConfig) return [...problems, ...(configs.has(entry) ? [] : [`no process ${entry}, where clients arrive`])];
  for (const { name } of ALL_MODULES) {
    if (!entryConfig.modules.includes(name) && !entryConfig.remoteModules[name]) problems.push(`${entry}: clients arrive here, but it neither hosts nor forwards ${name}`);
  }
  return problems;
}

/**
 * The processes are those of the layout (`nameOf` gives each layout process's name here), each
 * hosting and forwarding the same modules, with the same other settings; TRUST_PROXY only needs a
 * value, the layout's loopback address being the one machine's.
 */
export function splitLayoutProblems(processes: DeployedProcess[], layout: SplitProcess[], nameOf: (layoutName: string) => string): string[] {
  const problems: string[] = [];
  const expected = new Set(layout.map(({ name }) => nameOf(name)));
  for (const deployed of processes) if (!expected.has(deployed.name)) problems.push(`${deployed.name}: not a process of tools/split-layout.ts`);
  const sameNames = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
  for (const planned of layout) {
    const deployed = processes.find(({ name }) => name === nameOf(planned.name));
    if (!deployed) {
      problems.push(`${nameOf(planned.name)}: missing (tools/split-layout.ts runs ${planned.name})`);
      continue;
    }
    const config = loadConfiguration(deployed.env).config;
    if (!config) continue; // configurationProblems says why
    const plannedConfig = loadConfiguration(planned.env).config!;
    if (!sameNames(config.modules, plannedConfig.modules)) {
      problems.push(`${deployed.name}: hosts ${config.modules.join(',')}, but tools/split-layout.ts has ${plannedConfig.modules.join(',')}`);
    }
    const forwarded = Object.keys(config.remoteModules);
    const plannedForwarded = Object.keys(plannedConfig.remoteModules);
    if (!sameNames(forwarded, plannedForwarded)) {
      problems.push(`${deployed.name}: forwards ${forwarded.join(',') || 'nothing'}, but tools/split-layout.ts has ${plannedForwarded.join(',') || 'nothing'}`);
    }
    for (const [name, value] of Object.entries(planned.env)) {
      if (name === 'MODULES' || name === 'REMOTE_MODULES') continue;
      const given = deployed.env[name];
      if (given === undefined || (name !== 'TRUST_PROXY' && given !== value)) {
        problems.push(`${deployed.name}: ${name} is ${given ?? 'unset'}, but tools/split-layout.ts sets ${value}`);
      }
    }
  }
  return problems;
}
