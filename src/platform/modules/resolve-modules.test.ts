import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env-reader.js';
import type { ModuleDefinition } from './module-definition.js';
import { resolveHostedModules } from './resolve-modules.js';

const definition = (name: string, needs: string[] = []): ModuleDefinition => ({
  name,
  schema: name,
  routePrefixes: [],
  publishes: [],
  needs,
  create: () => ({ routes: async () => {} }),
});

const definitions = [definition('orders', ['products', 'users']), definition('products'), definition('users')];
const names = (modules: ModuleDefinition[]) => modules.map((module) => module.name);

describe('resolveHostedModules', () => {
  it('orders hosted modules so that each comes after the modules it needs', () => {
    expect(names(resolveHostedModules(definitions, ['orders', 'users', 'products'], new Set()))).toEqual(['products', 'users', 'orders']);
  });

  it('accepts a needed module that is provided from elsewhere', () => {
    expect(names(resolveHostedModules(definitions, ['orders'], new Set(['products', 'users'])))).toEqual(['orders']);
  });

  it('refuses a hosted module whose needed contract nobody provides, naming both', () => {
    expect(() => resolveHostedModules(definitions, ['orders', 'users'], new Set())).toThrow(ConfigError);
    expect(() => resolveHostedModules(definitions, ['orders', 'users'], new Set())).toThrow(
      'MODULES: module "orders" needs the products contract, but products is neither hosted (MODULES) nor remote (REMOTE_MODULES)',
    );
  });

  it('refuses modules that need each other', () => {
    const cyclic = [definition('a', ['b']), definition('b', ['a'])];
    expect(() => resolveHostedModules(cyclic, ['a', 'b'], new Set())).toThrow(/cycle/);
  });
});
