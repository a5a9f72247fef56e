// docker/compose.yaml runs the production image (NODE_ENV=production), which refuses to start
// without its secrets and an explicit card gateway. A compose default (`${NAME:-…}`), a bare
// `${NAME}` (empty when unset) or a literal value would defeat that, so every such variable must
// be `${NAME:?message}`: compose itself then refuses to start, naming it. The file is read as text
// (a few fixed indentation levels), so no YAML parser is needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const compose = readFileSync(new URL('../docker/compose.yaml', import.meta.url), 'utf8');

/** The variables that must never have a default, in the app service and anywhere they are used. */
const REQUIRED = ['JWT_SECRET', 'SERVICE_TOKEN_SECRET', 'METRICS_TOKEN', 'POSTGRES_PASSWORD', 'CARD_GATEWAY'];
/** The ones the app service passes through under their own name. */
const APP_ENVIRONMENT = ['JWT_SECRET', 'SERVICE_TOKEN_SECRET', 'METRICS_TOKEN', 'CARD_GATEWAY'];

const required = (name: string) => new RegExp(`^\\$\\{${name}:\\?[^}\\s][^}]*\\}$`);

/** `KEY: value` pairs of one service's `environment:` mapping; comment lines are skipped. */
function serviceEnvironment(service: string): Map<string, string> {
  const lines = compose.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  const start = lines.indexOf(`  ${service}:`);
  expect(start, `service ${service} in docker/compose.yaml`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, index) => index > start && /^ {0,2}\S/.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end);
  const from = body.indexOf('    environment:');
  expect(from, `an environment mapping under ${service}`).toBeGreaterThanOrEqual(0);
  const entries = new Map<string, string>();
  for (const line of body.slice(from + 1)) {
    if (!/^ {6}\S/.test(line)) break;
    const match = /^ {6}([A-Z][A-Z0-9_]*):\s*(.*)$/.exec(line);
    expect(match, `environment entry "${line.trim()}" written as KEY: value`).not.toBeNull();
    entries.set(match![1]!, match![2]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  return entries;
}

describe('docker/compose.yaml', () => {
  it('is the production image, so the checks below guard a production start', () => {
    expect(compose).toMatch(/^ {2}shop:\n(?: {4}.*\n)*? {4}build: .*docker\/Dockerfile/m);
    expect(readFileSync(new URL('../docker/Dockerfile', import.meta.url), 'utf8')).toMatch(/NODE_ENV=production/);
  });

  it('makes compose refuse to start the app without each secret and the card gateway', () => {
    const environment = serviceEnvironment('shop');
    for (const name of APP_ENVIRONMENT) {
      expect(environment.get(name), `shop's ${name}`).toMatch(required(name));
    }
    expect(environment.get('DATABASE_URL'), "shop's DATABASE_URL").toMatch(
      /^postgres:\/\/[^:@/]+:\$\{POSTGRES_PASSWORD:\?[^}\s][^}]*\}@/,
    );
    expect(serviceEnvironment('postgres').get('POSTGRES_PASSWORD'), "postgres's POSTGRES_PASSWORD").toMatch(
      required('POSTGRES_PASSWORD'),
    );
  });

  it('never gives one of them a default, an empty fallback or a bare reference anywhere', () => {
    const uncommented = compose
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    for (const name of REQUIRED) {
      const interpolations = [...uncommented.matchAll(new RegExp(`\\$(\\{${name}\\b[^}]*\\}|${name}\\b)`, 'g'))].map(
        (m) => m[0],
      );
      expect(interpolations.length, `${name} is used`).toBeGreaterThan(0);
      for (const reference of interpolations) expect(reference, `a reference to ${name}`).toMatch(required(name));
    }
  });

  it('holds no literal placeholder secret', () => {
    expect(compose).not.toMatch(/change[-_ ]?me|replace[-_ ]?me|your[-_ ]?secret|placeholder|<(secret|password|token)>/i);
  });
});
