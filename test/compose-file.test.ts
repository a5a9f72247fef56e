// The compose files run the production image (NODE_ENV=production), which refuses to start without
// its secrets and an explicit card gateway. A compose default (`${NAME:-…}`), a bare `${NAME}`
// (empty when unset) or a literal value would defeat that, so every such variable must be
// `${NAME:?message}`: compose itself then refuses to start, naming it. Beyond that, each app
// service's environment must be one production starts with and sets only what the app reads, each
// process must reach the modules it needs at the service hosting them, and the split file must run
// the processes of tools/split-layout.ts. The last block breaks a copy one way per rule.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitLayout } from '../tools/split-layout.js';
import { OPERATOR_CHOSEN } from './support/deployment/app-configuration.js';
import { appServices, composeProcesses, composeServices } from './support/deployment/compose-file.js';
import { runtimeStage } from './support/deployment/dockerfile.js';
import { configurationProblems, remoteModuleProblems, splitLayoutProblems } from './support/deployment/process-rules.js';

const dockerfile = readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8');
const image = runtimeStage(dockerfile);

const COMPOSE_FILES = [
  { file: 'docker/compose.yaml', entry: 'shop' },
  { file: 'docker/compose.split.yaml', entry: 'gateway' },
];
const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

/** The variables that must never have a default, wherever they are used. */
const REQUIRED = ['JWT_SECRET', 'SERVICE_TOKEN_SECRET', 'METRICS_TOKEN', 'POSTGRES_PASSWORD', 'CARD_GATEWAY'];

const required = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}\\s][^}]*\\}$`);
const uncommented = (compose: string) =>
  compose
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');

/** Each of REQUIRED is used, and every reference to it (in any field) is `${NAME:?message}`. */
function interpolationProblems(compose: string): string[] {
  return REQUIRED.flatMap((name) => {
    const references = [...uncommented(compose).matchAll(new RegExp(`\\$(\\{${name}\\b[^}]*\\}|${name}\\b)`, 'g'))].map((match) => match[0]);
    if (references.length === 0) return [`${name} is never used`];
    return references.filter((reference) => !required(name).test(reference)).map((reference) => `${reference} can start without ${name}`);
  });
}

/** What the app services and PostgreSQL are given: operator-chosen values only from the environment. */
function environmentProblems(compose: string): string[] {
  const services = composeServices(compose);
  const problems: string[] = [];
  if (!required('POSTGRES_PASSWORD').test(services.postgres?.environment.POSTGRES_PASSWORD ?? '')) problems.push("postgres's POSTGRES_PASSWORD is not ${POSTGRES_PASSWORD:?…}");
  const apps = appServices(services);
  if (apps.length === 0) problems.push('no service builds docker/Dockerfile');
  for (const name of apps) {
    for (const [variable, value] of Object.entries(services[name]!.environment)) {
      if (variable === 'DATABASE_URL') {
        if (!/^postgres:\/\/[^:@/]+:\$\{POSTGRES_PASSWORD:\?[^}\s][^}]*\}@/.test(value)) problems.push(`${name}'s DATABASE_URL does not take its password from \${POSTGRES_PASSWORD:?…}`);
      } else if (OPERATOR_CHOSEN.includes(variable) && !required(variable).test(value)) {
        problems.push(`${name}'s ${variable} is ${value}, not \${${variable}:?…}`);
      }
    }
  }
  return problems;
}

function placeholderProblems(compose: string): string[] {
  const placeholder = /change[-_ ]?me|replace[-_ ]?me|your[-_ ]?secret|placeholder|<(secret|password|token)>/i.exec(compose);
  return placeholder ? [`holds the placeholder "${placeholder[0]}"`] : [];
}

/** Each app service starts in production, sets only what it reads, and reaches what it needs. */
function processProblems(compose: string, entry: string): string[] {
  const processes = composeProcesses(composeServices(compose), image);
  return [...processes.flatMap(configurationProblems), ...remoteModuleProblems(processes, entry)];
}

describe.each(COMPOSE_FILES)('$file', ({ file, entry }) => {
  const compose = read(file);

  it('runs the production image, so the checks below guard a production start', () => {
    expect(appServices(composeServices(compose)).length).toBeGreaterThan(0);
    expect(image.env.NODE_ENV).toBe('production');
  });

  it('makes compose refuse to start without each secret and the card gateway, and never gives one a default', () => {
    expect([...interpolationProblems(compose), ...environmentProblems(compose)]).toEqual([]);
  });

  it('holds no literal placeholder secret', () => {
    expect(placeholderProblems(compose)).toEqual([]);
  });

  it('gives each app service an environment production starts with and reaches every module it needs, setting nothing the app does not read', () => {
    expect(processProblems(compose, entry)).toEqual([]);
  });
});

describe('docker/compose.split.yaml', () => {
  it('runs the processes of tools/split-layout.ts, each hosting and forwarding the same modules', () => {
    const processes = composeProcesses(composeServices(read('docker/compose.split.yaml')), image);
    expect(splitLayoutProblems(processes, splitLayout(3000), (name) => name)).toEqual([]);
  });
});

describe('each rule reports a compose file that breaks it', () => {
  const split = read('docker/compose.split.yaml');
  const edited = (from: string, to: string) => {
    expect(split).toContain(from);
    return split.replace(from, to);
  };

  it('a default, an empty fallback, a literal value', () => {
    const compose = edited('JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET (openssl rand -base64 48)}', 'JWT_SECRET: ${JWT_SECRET:-dev-only}')
      .replace('${METRICS_TOKEN:?set METRICS_TOKEN (openssl rand -base64 48)}', '${METRICS_TOKEN}')
      .replace('CARD_GATEWAY: ${CARD_GATEWAY:?set CARD_GATEWAY (simulated takes no money; for trying out only)}', 'CARD_GATEWAY: simulated');
    expect(interpolationProblems(compose)).toEqual([
      '${JWT_SECRET:-dev-only} can start without JWT_SECRET',
      '${METRICS_TOKEN} can start without METRICS_TOKEN',
      'CARD_GATEWAY is never used',
    ]);
    expect(environmentProblems(compose)).toEqual(
      expect.arrayContaining(["gateway's JWT_SECRET is ${JWT_SECRET:-dev-only}, not ${JWT_SECRET:?…}", "payments's CARD_GATEWAY is simulated, not ${CARD_GATEWAY:?…}"]),
    );
  });

  it('a placeholder secret', () => {
    expect(placeholderProblems(`${split}\n# JWT_SECRET: change-me\n`)).toEqual(['holds the placeholder "change-me"']);
  });

  it('a variable the app never reads, a module sent where it is not hosted', () => {
    const compose = edited('      MODULES: payments\n', '      MODULES: payments\n      PAYMENTS_GATEWAY: simulated\n').replace(
      'REMOTE_MODULES: users=http://gateway:3000,products=http://gateway:3000',
      'REMOTE_MODULES: users=http://payments:3000,products=http://gateway:3000',
    );
    expect(processProblems(compose, 'gateway')).toEqual([
      'payments: sets PAYMENTS_GATEWAY, which its configuration never reads',
      'orders: REMOTE_MODULES sends users to http://payments:3000, but payments does not host users',
    ]);
  });

  it('a process hosting other modules than tools/split-layout.ts says', () => {
    const processes = composeProcesses(composeServices(edited('      MODULES: payments\n', '      MODULES: payments,users\n')), image);
    expect(splitLayoutProblems(processes, splitLayout(3000), (name) => name)).toEqual(['payments: hosts payments,users, but tools/split-layout.ts has payments']);
  });
});
