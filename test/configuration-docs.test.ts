// The README's configuration table lists every variable the application reads, and nothing else:
// the variables are found by loading the configuration (every module's settings included) from
// an environment that records each name asked for, so a setting added anywhere is caught here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { SAFE_PRODUCTION_ENV } from './support/production-env.js';

function variablesRead(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  loadConfig(recording);
  return read;
}

/** The backticked names in the first column of the table under "## Configuration". */
function documentedVariables(): Set<string> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!));
  return new Set(names);
}

describe('the README configuration table', () => {
  it('documents every variable the configuration reads, in development and in production, and no other', () => {
    const read = new Set([...variablesRead({}), ...variablesRead(SAFE_PRODUCTION_ENV)]);
    expect([...documentedVariables()].sort()).toEqual([...read].sort());
  });
});
